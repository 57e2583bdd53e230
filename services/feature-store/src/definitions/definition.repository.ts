import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EntityDefinition, FeatureViewDefinition, FeatureViewVersion } from './feature-definitions';

interface ViewRow {
  name: string;
  version: number;
  definition: FeatureViewDefinition;
  join_keys: FeatureViewVersion['joinKeys'];
  schema_hash: string;
  created_at: Date;
  updated_at: Date;
}

const toView = (row: ViewRow): FeatureViewVersion => ({
  name: row.name,
  version: row.version,
  definition: row.definition,
  joinKeys: row.join_keys,
  schemaHash: row.schema_hash.trim(),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** Entities and feature-view versions in the feature_store schema. */
@Injectable()
export class DefinitionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serializes applies, so two of them cannot both create version n+1 of a view. */
  async lockDefinitions(manager: EntityManager): Promise<void> {
    await manager.query("SELECT pg_advisory_xact_lock(hashtext('feature_store.definitions'))");
  }

  async entities(manager: EntityManager = this.dataSource.manager): Promise<EntityDefinition[]> {
    const rows: { definition: EntityDefinition }[] = await manager.query(
      'SELECT definition FROM feature_store.entities ORDER BY name',
    );
    return rows.map((r) => r.definition);
  }

  async upsertEntity(manager: EntityManager, entity: EntityDefinition): Promise<void> {
    await manager.query(
      `INSERT INTO feature_store.entities (name, definition) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, updated_at = now()`,
      [entity.name, JSON.stringify(entity)],
    );
  }

  /** The newest version of every view. */
  async latestViews(manager: EntityManager = this.dataSource.manager): Promise<FeatureViewVersion[]> {
    const rows: ViewRow[] = await manager.query(
      'SELECT DISTINCT ON (name) * FROM feature_store.feature_views ORDER BY name, version DESC',
    );
    return rows.map(toView);
  }

  async allViewVersions(): Promise<FeatureViewVersion[]> {
    const rows: ViewRow[] = await this.dataSource.query('SELECT * FROM feature_store.feature_views ORDER BY name, version');
    return rows.map(toView);
  }

  async insertVersion(manager: EntityManager, view: Omit<FeatureViewVersion, 'createdAt' | 'updatedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO feature_store.feature_views (name, version, definition, join_keys, schema_hash) VALUES ($1, $2, $3, $4, $5)`,
      [view.name, view.version, JSON.stringify(view.definition), JSON.stringify(view.joinKeys), view.schemaHash],
    );
  }

  /** Metadata (owner, tags, TTL, description) changes in place on the newest version. */
  async updateMetadata(manager: EntityManager, name: string, version: number, definition: FeatureViewDefinition): Promise<void> {
    await manager.query(
      'UPDATE feature_store.feature_views SET definition = $3, updated_at = now() WHERE name = $1 AND version = $2',
      [name, version, JSON.stringify(definition)],
    );
  }
}
