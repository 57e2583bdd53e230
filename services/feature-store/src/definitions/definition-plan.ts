import { createHash } from 'node:crypto';
import {
  canonicalJson,
  DefinitionFile,
  EntityDefinition,
  FeatureViewDefinition,
  FeatureViewVersion,
  versionedPart,
} from './feature-definitions';

import type { DefinitionPlan, PlannedChange } from '@mlops/contracts';

export type { DefinitionPlan, PlannedChange };
export type ChangeAction = PlannedChange['action'];

export const schemaHash = (view: FeatureViewDefinition): string =>
  createHash('sha256').update(canonicalJson(versionedPart(view))).digest('hex');

/**
 * Compares a definition file with what is applied, like `feast plan`: pure, so the CLI's preview and the
 * apply itself come from the same computation.
 */
export function planDefinitions(
  file: DefinitionFile,
  appliedEntities: EntityDefinition[],
  appliedViews: FeatureViewVersion[],
): DefinitionPlan {
  const errors: string[] = [];
  const changes: PlannedChange[] = [];
  const entityByName = new Map(appliedEntities.map((e) => [e.name, e]));
  const declared = new Map<string, EntityDefinition>();
  file.entities.forEach((entity, i) => {
    if (declared.has(entity.name)) errors.push(`entities.${i}.name: entity ${entity.name} is declared twice`);
    declared.set(entity.name, entity);
    const before = entityByName.get(entity.name);
    const diff = diffJson(before ?? {}, entity);
    changes.push({ kind: 'entity', name: entity.name, action: !before ? 'create' : diff.length ? 'update' : 'unchanged', diff });
  });
  const viewByName = new Map(appliedViews.map((v) => [v.name, v]));
  const seenViews = new Set<string>();
  file.featureViews.forEach((view, i) => {
    if (seenViews.has(view.name)) errors.push(`featureViews.${i}.name: feature view ${view.name} is declared twice`);
    seenViews.add(view.name);
    // Each join key of a view must come from one entity: the entity key holds one value per name.
    const keyOwner = new Map<string, string>();
    view.entities.forEach((name, j) => {
      const entity = declared.get(name) ?? entityByName.get(name);
      if (!entity) errors.push(`featureViews.${i}.entities.${j}: entity ${name} is neither applied nor declared in this file`);
      else if (view.entities.indexOf(name) !== j) errors.push(`featureViews.${i}.entities.${j}: entity ${name} is listed twice`);
      else {
        for (const key of entity.joinKeys) {
          const owner = keyOwner.get(key.name);
          if (owner) errors.push(`featureViews.${i}.entities.${j}: join key ${key.name} of entity ${name} is also a join key of entity ${owner}`);
          keyOwner.set(key.name, name);
        }
      }
    });
    const joinKeyNames = view.entities.flatMap((name) => (declared.get(name) ?? entityByName.get(name))?.joinKeys ?? []).map((k) => k.name);
    const clash = view.schema.find((f) => joinKeyNames.includes(f.name));
    if (clash) errors.push(`featureViews.${i}.schema: feature ${clash.name} has the name of a join key`);
    const before = viewByName.get(view.name);
    if (!before) {
      changes.push({ kind: 'feature-view', name: view.name, action: 'create', version: 1, diff: diffJson({}, view) });
      return;
    }
    const diff = diffJson(before.definition, view);
    const action: ChangeAction =
      schemaHash(view) !== before.schemaHash ? 'new-version' : diff.length ? 'update' : 'unchanged';
    changes.push({ kind: 'feature-view', name: view.name, action, version: before.version + (action === 'new-version' ? 1 : 0), diff });
  });
  return { changes, errors };
}

/** Leaf-by-leaf differences; arrays of named items (schema fields) are compared by name, not by position. */
export function diffJson(before: unknown, after: unknown, path = ''): string[] {
  if (canonicalJson(before) === canonicalJson(after)) return [];
  if (isNamedList(before) && isNamedList(after)) {
    const names = [...new Set([...before.map((x) => x.name), ...after.map((x) => x.name)])];
    return names.flatMap((name) =>
      diffJson(before.find((x) => x.name === name), after.find((x) => x.name === name), `${path}[${name}]`),
    );
  }
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffJson(before[key], after[key], path ? `${path}.${key}` : key));
  }
  const show = (v: unknown) => (v === undefined ? '(none)' : canonicalJson(v));
  return [`${path || '(root)'}: ${show(before)} -> ${show(after)}`];
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isNamedList = (v: unknown): v is { name: string }[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => isRecord(x) && typeof x.name === 'string');
