import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DefinitionRepository } from './definition.repository';
import { DefinitionPlan, planDefinitions, schemaHash } from './definition-plan';
import type { DefinitionFile, EntityDefinition } from './feature-definitions';
import { FeatureCatalog } from './feature-catalog';
import { SourceTopics } from './source-topics';

export class InvalidDefinitionsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/** Creates or updates entities and feature views: a schema or source change becomes a new view version. */
@Injectable()
export class ApplyDefinitions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DefinitionRepository,
    private readonly topics: SourceTopics,
    private readonly catalog: FeatureCatalog,
  ) {}

  async plan(file: DefinitionFile): Promise<DefinitionPlan> {
    return planDefinitions(file, await this.repository.entities(), await this.repository.latestViews());
  }

  async apply(file: DefinitionFile): Promise<DefinitionPlan> {
    // Topics first: they are idempotent to create, and a view must never be live without its topic.
    await this.topics.ensure(file.featureViews.map((v) => v.source.topic));
    const plan = await this.dataSource.transaction(async (manager) => {
      await this.repository.lockDefinitions(manager);
      const entities = await this.repository.entities(manager);
      const result = planDefinitions(file, entities, await this.repository.latestViews(manager));
      if (result.errors.length) throw new InvalidDefinitionsError(result.errors);
      const entityByName = new Map<string, EntityDefinition>(entities.map((e) => [e.name, e]));
      for (const entity of file.entities) {
        entityByName.set(entity.name, entity);
        const change = result.changes.find((c) => c.kind === 'entity' && c.name === entity.name);
        if (change?.action !== 'unchanged') await this.repository.upsertEntity(manager, entity);
      }
      for (const view of file.featureViews) {
        const change = result.changes.find((c) => c.kind === 'feature-view' && c.name === view.name);
        if (!change || change.action === 'unchanged' || change.version === undefined) continue;
        if (change.action === 'update') {
          await this.repository.updateMetadata(manager, view.name, change.version, view);
          continue;
        }
        const joinKeys = view.entities.flatMap((name) => entityByName.get(name)?.joinKeys ?? []);
        await this.repository.insertVersion(manager, {
          name: view.name,
          version: change.version,
          definition: view,
          joinKeys,
          schemaHash: schemaHash(view),
        });
      }
      return result;
    });
    await this.catalog.refresh();
    return plan;
  }
}
