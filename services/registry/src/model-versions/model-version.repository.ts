import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ModelVersion, NewModelVersion } from './model-version';

interface VersionRow {
  model_name: string;
  version: number;
  status: ModelVersion['status'];
  risk_tier: ModelVersion['riskTier'];
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
  created_at: Date;
}

const SELECT_VERSION = `
  SELECT v.*, m.risk_tier FROM registry.model_versions v
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
    const [{ next }] = await manager.query(
      'SELECT COALESCE(MAX(version), 0) + 1 AS next FROM registry.model_versions WHERE model_name = $1',
      [version.modelName],
    );
    await manager.query(
      `INSERT INTO registry.model_versions (model_name, version, status, artifact_uri, artifact_sha256,
         artifact_size_bytes, signature, params, metrics, reference_profile_uri, run_id, dataset_snapshot_id,
         dataset_sha256, code_version, parent_version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [
        version.modelName, next, version.status, version.artifact.uri, version.artifact.sha256, version.artifact.sizeBytes,
        JSON.stringify(version.signature), JSON.stringify(version.params), JSON.stringify(version.metrics),
        version.referenceProfileUri, version.lineage.runId, version.lineage.datasetSnapshotId,
        version.lineage.datasetSha256, version.lineage.codeVersion, version.lineage.parentVersion,
      ],
    );
    const created = await this.find(version.modelName, next, manager);
    if (!created) throw new Error(`version ${next} of ${version.modelName} vanished inside its own transaction`);
    return created;
  }

  async find(modelName: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<ModelVersion | null> {
    const rows: VersionRow[] = await manager.query(`${SELECT_VERSION} WHERE v.model_name = $1 AND v.version = $2`, [modelName, version]);
    return rows.length ? toModelVersion(rows[0]) : null;
  }

  async list(modelName: string, limit: number, offset: number): Promise<ModelVersion[]> {
    const rows: VersionRow[] = await this.dataSource.query(
      `${SELECT_VERSION} WHERE v.model_name = $1 ORDER BY v.version DESC LIMIT $2 OFFSET $3`,
      [modelName, limit, offset],
    );
    return rows.map(toModelVersion);
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
    approvalStatus: row.approval_status,
    createdAt: row.created_at.toISOString(),
  };
}
