import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PrincipalView, Role } from '@mlops/contracts';

interface PrincipalRow {
  id: string;
  name: string;
  kind: PrincipalView['kind'];
  roles: Role[];
  created_at: Date;
  created_by: string;
}

export type NewPrincipal = Pick<PrincipalView, 'name' | 'kind' | 'roles' | 'createdBy'>;

/** People and services that hold API keys, in governance's schema. */
@Injectable()
export class PrincipalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The new principal, or undefined when one of that name exists already. */
  async create(principal: NewPrincipal, manager: EntityManager = this.dataSource.manager): Promise<PrincipalView | undefined> {
    const rows: PrincipalRow[] = await manager.query(
      `INSERT INTO governance.principals (id, name, kind, roles, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (name) DO NOTHING RETURNING *`,
      [randomUUID(), principal.name, principal.kind, principal.roles, principal.createdBy],
    );
    return rows.length ? toView(rows[0]) : undefined;
  }

  async find(id: string, manager: EntityManager = this.dataSource.manager): Promise<PrincipalView | undefined> {
    const rows: PrincipalRow[] = await manager.query('SELECT * FROM governance.principals WHERE id = $1', [id]);
    return rows.length ? toView(rows[0]) : undefined;
  }

  async findByName(name: string, manager: EntityManager = this.dataSource.manager): Promise<PrincipalView | undefined> {
    const rows: PrincipalRow[] = await manager.query('SELECT * FROM governance.principals WHERE name = $1', [name]);
    return rows.length ? toView(rows[0]) : undefined;
  }

  async list(): Promise<PrincipalView[]> {
    const rows: PrincipalRow[] = await this.dataSource.query('SELECT * FROM governance.principals ORDER BY name');
    return rows.map(toView);
  }
}

function toView(row: PrincipalRow): PrincipalView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    roles: row.roles,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}
