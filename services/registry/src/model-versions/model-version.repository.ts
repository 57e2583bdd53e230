import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ModelVersion } from '@mlops/contracts';
import type { NewModelVersion } from './model-version';

interface VersionRow {
  model_name: string;
  version: number;
  status: ModelVersion['status'];
  risk_tier: ModelVersion['riskTier'];
  owner: string;
  artifact_uri: string;
  artifact_sha256: string;
  artifact_size_bytes: string;
  signature: ModelVersion['signature'];
  params: ModelVersion['params'];
  metrics: ModelVersion['metrics'];
  reference_profile_uri: string | null;
  run_id: string | null;
  dataset_snapshot_id: string | null;
  dataset_sha256: string | null;
  code_version: string | null;
  parent_version: number | null;
  approval_status: ModelVersion['approvalStatus'];
  tags: ModelVersion['tags'];
  registered_by: string | null;
  created_at: Date;
}

export interface VersionSearch {
  status?: ModelVersion['status'];
  approvalStatus?: ModelVersion['approvalStatus'];
  tag?: { key: string; value?: string };
  metric?: { name: string; min?: number; max?: number };
  limit: number;
  offset: number;
}

const SELECT_VERSION = `
  SELECT v.*, m.risk_tier, m.owner FROM registry.model_versions v
  JOIN registry.registered_models m ON m.name = v.model_name`;

/** Registry's Postgres tables for models and their versions. */
@Injectable()
export class ModelVersionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Models first seen through a training event are created with a cautious default tier, which owners can change. */
  async lockModel(manager: EntityManager, name: string, owner: string): Promise<void> {
    await manager.query(
      `INSERT INTO registry.registered_models (name, owner, risk_tier) VALUES ($1, $2, 'limited') ON CONFLICT (name) DO NOTHING`,
      [name, owner],
    );
    await manager.query('SELECT 1 FROM registry.registered_models WHERE name = $1 FOR UPDATE', [name]);
  }

  /** Caller must hold the model's row lock (lockModel) so concurrent registrations get consecutive numbers. */
  async insertNext(manager: EntityManager, version: NewModelVersion): Promise<ModelVersion> {
    const next = await this.nextNumber(manager, version.modelName);
    await manager.query(
      `INSERT INTO registry.model_versions (model_name, version, status, artifact_uri, artifact_sha256,
         artifact_size_bytes, signature, params, metrics, reference_profile_uri, run_id, dataset_snapshot_id,
         dataset_sha256, code_version, parent_version, tags, registered_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [
        version.modelName, next, version.status, version.artifact.uri, version.artifact.sha256, version.artifact.sizeBytes,
        JSON.stringify(version.signature), JSON.stringify(version.params), JSON.stringify(version.metrics),
        version.referenceProfileUri, version.lineage.runId, version.lineage.datasetSnapshotId,
        version.lineage.datasetSha256, version.lineage.codeVersion, version.lineage.parentVersion,
        JSON.stringify(version.tags), version.registeredBy,
      ],
    );
    const created = await this.find(version.modelName, next, manager);
    if (!created) throw new Error(`version ${next} of ${version.modelName} vanished inside its own transaction`);
    return created;
  }

  /** The number the next insertNext under the same row lock will use. */
  async nextNumber(manager: EntityManager, modelName: string): Promise<number> {
    const [{ next }] = await manager.query(
      'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM registry.model_versions WHERE model_name = $1',
      [modelName],
    );
    return Number(next);
  }

  async hasRun(manager: EntityManager, runId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM registry.model_versions WHERE run_id = $1', [runId]);
    return rows.length > 0;
  }

  async find(modelName: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<ModelVersion | null> {
    const rows: VersionRow[] = await manager.query(`${SELECT_VERSION} WHERE v.model_name = $1 AND v.version = $2`, [modelName, version]);
    return rows.length ? toModelVersion(rows[0]) : null;
  }

  async search(modelName: string, search: VersionSearch): Promise<ModelVersion[]> {
    const params: unknown[] = [modelName];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['v.model_name = $1'];
    if (search.status) where.push(`v.status = ${param(search.status)}`);
    if (search.approvalStatus) where.push(`v.approval_status = ${param(search.approvalStatus)}`);
    if (search.tag) {
      where.push(
        search.tag.value === undefined
          ? `v.tags ? ${param(search.tag.key)}`
          : `v.tags @> ${param(JSON.stringify({ [search.tag.key]: search.tag.value }))}::jsonb`,
      );
    }
    if (search.metric) {
      // A version without the metric never passes a threshold on it.
      const name = param(search.metric.name);
      const value = `(v.metrics ->> ${name}::text)::double precision`;
      if (search.metric.min !== undefined) where.push(`${value} >= ${param(search.metric.min)}`);
      if (search.metric.max !== undefined) where.push(`${value} <= ${param(search.metric.max)}`);
      where.push(`v.metrics ? ${name}`);
    }
    const rows: VersionRow[] = await this.dataSource.query(
      `${SELECT_VERSION} WHERE ${where.join(' AND ')} ORDER BY v.version DESC LIMIT ${param(search.limit)} OFFSET ${param(search.offset)}`,
      params,
    );
    return rows.map(toModelVersion);
  }

  /** False when there is no such version. */
  async setApproval(manager: EntityManager, modelName: string, version: number, status: ModelVersion['approvalStatus']): Promise<boolean> {
    // Through a CTE, so the driver answers with the rows (a bare UPDATE answers with [rows, count]).
    const rows: unknown[] = await manager.query(
      `WITH updated AS (
         UPDATE registry.model_versions SET approval_status = $3 WHERE model_name = $1 AND version = $2 RETURNING version
       ) SELECT version FROM updated`,
      [modelName, version, status],
    );
    return rows.length === 1;
  }
}

function toModelVersion(row: VersionRow): ModelVersion {
  return {
    modelName: row.model_name,
    version: row.version,
    status: row.status,
    riskTier: row.risk_tier,
    artifact: { uri: row.artifact_uri, sha256: row.artifact_sha256, sizeBytes: Number(row.artifact_size_bytes) },
    signature: row.signature,
    params: row.params,
    metrics: row.metrics,
    referenceProfileUri: row.reference_profile_uri,
    lineage: {
      runId: row.run_id,
      datasetSnapshotId: row.dataset_snapshot_id,
      datasetSha256: row.dataset_sha256,
      codeVersion: row.code_version,
      parentVersion: row.parent_version,
    },
    tags: row.tags,
    approvalStatus: row.approval_status,
    registeredBy: row.registered_by,
    owner: row.owner,
    createdAt: row.created_at.toISOString(),
  };
}
