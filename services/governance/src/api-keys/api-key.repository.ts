import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ApiKeyStatus, ApiKeyView, PrincipalView, Role, ScryptHash } from '@mlops/contracts';

interface ApiKeyRow {
  key_id: string;
  principal_id: string;
  principal_name: string;
  roles: Role[];
  secret_hash: ScryptHash;
  description: string;
  created_at: Date;
  created_by: string;
  expires_at: Date | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface NewApiKey {
  keyId: string;
  principal: PrincipalView;
  secretHash: ScryptHash;
  description: string;
  createdBy: string;
  expiresAt: Date | null;
}

/** A key as governance stores it: what anyone may see of it, and the hash services check secrets against. */
export interface StoredApiKey {
  view: ApiKeyView;
  secretHash: ScryptHash;
}

export interface ApiKeyFilter {
  principalName?: string;
  status?: ApiKeyStatus;
}

const SELECT_KEY = `
  SELECT k.*, p.name AS principal_name, p.roles
  FROM governance.api_keys k JOIN governance.principals p ON p.id = k.principal_id`;

const STATUS_SQL: Record<ApiKeyStatus, string> = {
  revoked: 'k.revoked_at IS NOT NULL',
  expired: 'k.revoked_at IS NULL AND k.expires_at <= now()',
  active: 'k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())',
};

/** API keys in governance's schema: their hashes, never the keys. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False when a key of that id exists already (a seed applied before). */
  async insert(manager: EntityManager, key: NewApiKey): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO governance.api_keys (key_id, principal_id, secret_hash, description, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key_id) DO NOTHING RETURNING key_id`,
      [key.keyId, key.principal.id, JSON.stringify(key.secretHash), key.description, key.createdBy, key.expiresAt],
    );
    return rows.length === 1;
  }

  /** Marks the key revoked; false when it was revoked already (or does not exist). */
  async revoke(manager: EntityManager, keyId: string, revokedBy: string): Promise<boolean> {
    // TypeORM answers an UPDATE with [rows, affected row count].
    const [, updated]: [unknown[], number] = await manager.query(
      `UPDATE governance.api_keys SET revoked_at = now(), revoked_by = $2 WHERE key_id = $1 AND revoked_at IS NULL`,
      [keyId, revokedBy],
    );
    return updated === 1;
  }

  async find(keyId: string, manager: EntityManager = this.dataSource.manager): Promise<StoredApiKey | undefined> {
    const rows: ApiKeyRow[] = await manager.query(`${SELECT_KEY} WHERE k.key_id = $1`, [keyId]);
    return rows.length ? toStored(rows[0]) : undefined;
  }

  async list(filter: ApiKeyFilter): Promise<ApiKeyView[]> {
    const rows: ApiKeyRow[] = await this.dataSource.query(
      `${SELECT_KEY} WHERE ($1::text IS NULL OR p.name = $1) ${filter.status ? `AND ${STATUS_SQL[filter.status]}` : ''}
       ORDER BY k.created_at, k.key_id`,
      [filter.principalName ?? null],
    );
    return rows.map((row) => toStored(row).view);
  }
}

function toStored(row: ApiKeyRow): StoredApiKey {
  const status: ApiKeyStatus = row.revoked_at ? 'revoked' : row.expires_at && row.expires_at.getTime() <= Date.now() ? 'expired' : 'active';
  const view: ApiKeyView = {
    keyId: row.key_id,
    principalId: row.principal_id,
    principalName: row.principal_name,
    roles: row.roles,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    revokedBy: row.revoked_by,
    status,
  };
  return { view, secretHash: row.secret_hash };
}
