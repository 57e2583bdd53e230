import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ModelAlias {
  alias: string;
  version: number;
  updatedAt: string;
}

interface AliasRow {
  alias: string;
  version: number;
  updated_at: Date;
}

const toAlias = (row: AliasRow): ModelAlias => ({ alias: row.alias, version: row.version, updatedAt: row.updated_at.toISOString() });

@Injectable()
export class AliasRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Caller has checked that the version exists (the foreign key would refuse it anyway). */
  async set(modelName: string, alias: string, version: number): Promise<ModelAlias> {
    const rows: AliasRow[] = await this.dataSource.query(
      `INSERT INTO registry.model_aliases (model_name, alias, version) VALUES ($1, $2, $3)
       ON CONFLICT (model_name, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = now()
       RETURNING alias, version, updated_at`,
      [modelName, alias, version],
    );
    return toAlias(rows[0]);
  }

  async remove(modelName: string, alias: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH removed AS (DELETE FROM registry.model_aliases WHERE model_name = $1 AND alias = $2 RETURNING alias)
       SELECT alias FROM removed`,
      [modelName, alias],
    );
    return rows.length === 1;
  }

  async list(modelName: string): Promise<ModelAlias[]> {
    const rows: AliasRow[] = await this.dataSource.query(
      'SELECT alias, version, updated_at FROM registry.model_aliases WHERE model_name = $1 ORDER BY alias',
      [modelName],
    );
    return rows.map(toAlias);
  }
}
