import { z } from 'zod';

// The definitions are the feature store's HTTP contract (libs/contracts); this module adds what versions them.
export {
  DefinitionFile,
  EntityDefinition,
  FEATURE_TYPES,
  FeatureField,
  FeatureType,
  FeatureViewDefinition,
  FeatureViewVersion,
  JOIN_KEY_TYPES,
} from '@mlops/contracts';
import type { FeatureViewDefinition } from '@mlops/contracts';

/**
 * What a new version is made of: a change to any of it would make old readers or stored values mean something
 * else. Owner, tags, description and TTL are metadata and change in place.
 */
export function versionedPart(view: FeatureViewDefinition): unknown {
  return { entities: view.entities, source: view.source, schema: view.schema };
}

/** JSON with sorted object keys, so equal definitions give equal text whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Describes zod issues as `path: reason` so an HTTP 400 names the field. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(body)'}: ${issue.message}`;
  });
}
