import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { NewRegisteredModel, RegisteredModel } from '@mlops/contracts';

interface ModelRow {
  name: string;
  owner: string;
  description: string;
  risk_tier: RegisteredModel['riskTier'];
  tags: Record<string, string>;
  created_at: Date;
  latest_version: number | null;
}

export interface ModelSearch {
  query?: string;
  owner?: string;
  riskTier?: string;
  tag?: { key: string; value?: string };
  limit: number;
  offset: number;
}

const SELECT_MODEL = `
  SELECT m.*, (SELECT MAX(version) FROM registry.model_versions v WHERE v.model_name = m.name) AS latest_version
  FROM registry.registered_models m`;

@Injectable()
export class RegisteredModelRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when a model of that name exists already. */
  async create(model: NewRegisteredModel): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO registry.registered_models (name, owner, description, risk_tier, tags) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING name`,
      [model.name, model.owner, model.description, model.riskTier, JSON.stringify(model.tags)],
    );
    return rows.length === 1;
  }

  /** Takes the model's row lock for the rest of the transaction; false when there is no such model. */
  async lockExisting(manager: EntityManager, name: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM registry.registered_models WHERE name = $1 FOR UPDATE', [name]);
    return rows.length === 1;
  }

  async find(name: string): Promise<RegisteredModel | null> {
    const rows: ModelRow[] = await this.dataSource.query(`${SELECT_MODEL} WHERE m.name = $1`, [name]);
    return rows.length ? toModel(rows[0]) : null;
  }

  async search(search: ModelSearch): Promise<RegisteredModel[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (search.query) {
      const like = param(`%${search.query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(m.name ILIKE ${like} OR m.description ILIKE ${like})`);
    }
    if (search.owner) where.push(`m.owner = ${param(search.owner)}`);
    if (search.riskTier) where.push(`m.risk_tier = ${param(search.riskTier)}`);
    if (search.tag) {
      where.push(
        search.tag.value === undefined
          ? `m.tags ? ${param(search.tag.key)}`
          : `m.tags @> ${param(JSON.stringify({ [search.tag.key]: search.tag.value }))}::jsonb`,
      );
    }
    const rows: ModelRow[] = await this.dataSource.query(
      `${SELECT_MODEL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY m.name LIMIT ${param(search.limit)} OFFSET ${param(search.offset)}`,
      params,
    );
    return rows.map(toModel);
  }
}

function toModel(row: ModelRow): RegisteredModel {
  return {
    name: row.name,
    owner: row.owner,
    description: row.description,
    riskTier: row.risk_tier,
    tags: row.tags,
    createdAt: row.created_at.toISOString(),
    latestVersion: row.latest_version,
  };
}
