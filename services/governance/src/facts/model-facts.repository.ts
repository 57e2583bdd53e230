import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ModelSignature } from '@mlops/contracts';
import type { GroupMetrics, RunFacts, ServingChampion, VersionFacts } from './model-facts';

interface VersionRow {
  model_name: string;
  version: number;
  risk_tier: VersionFacts['riskTier'];
  owner: string | null;
  registered_by: string | null;
  signature: ModelSignature;
  metrics: Record<string, number>;
  run_id: string | null;
  dataset_sha256: string | null;
  registered_at: Date;
}

interface RunRow {
  run_id: string;
  request_id: string;
  metrics: Record<string, number>;
  champion_metrics: Record<string, number> | null;
  parent_version: number | null;
  group_metrics: GroupMetrics[];
}

export interface ServingChange {
  modelName: string;
  revision: number;
  championVersion: number | null;
  challengerVersion: number | null;
}

/**
 * Governance's own copy of the facts other services announce (requests, runs, versions, what serves), kept from
 * their events so checks and separation of duties never ask another service at decision time.
 */
@Injectable()
export class ModelFactsRepository {
  async recordRequest(manager: EntityManager, request: { requestId: string; modelName: string; requestedBy: string }): Promise<void> {
    await manager.query(
      `INSERT INTO governance.request_facts (request_id, model_name, requested_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [request.requestId, request.modelName, request.requestedBy],
    );
  }

  async recordRun(manager: EntityManager, modelName: string, run: RunFacts): Promise<void> {
    await manager.query(
      `INSERT INTO governance.run_facts (run_id, request_id, model_name, metrics, champion_metrics, parent_version, group_metrics)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        run.runId, run.requestId, modelName, JSON.stringify(run.metrics),
        run.championMetrics ? JSON.stringify(run.championMetrics) : null, run.parentVersion, JSON.stringify(run.groupMetrics),
      ],
    );
  }

  async recordVersion(manager: EntityManager, version: VersionFacts): Promise<void> {
    await manager.query(
      `INSERT INTO governance.version_facts (model_name, version, risk_tier, owner, registered_by, signature, metrics, run_id,
         dataset_sha256, registered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        version.modelName, version.version, version.riskTier, version.owner, version.registeredBy, JSON.stringify(version.signature),
        JSON.stringify(version.metrics), version.runId, version.datasetSha256, version.registeredAt,
      ],
    );
  }

  /** Deployment events of one model arrive in order, but a redelivered older one must not undo a newer one. */
  async recordServing(manager: EntityManager, change: ServingChange): Promise<void> {
    await manager.query(
      `INSERT INTO governance.serving_facts (model_name, revision, champion_version, challenger_version) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model_name) DO UPDATE SET revision = EXCLUDED.revision, champion_version = EXCLUDED.champion_version,
         challenger_version = EXCLUDED.challenger_version
       WHERE governance.serving_facts.revision < EXCLUDED.revision`,
      [change.modelName, change.revision, change.championVersion, change.challengerVersion],
    );
  }

  async version(manager: EntityManager, modelName: string, version: number): Promise<VersionFacts | null> {
    const rows: VersionRow[] = await manager.query('SELECT * FROM governance.version_facts WHERE model_name = $1 AND version = $2', [
      modelName,
      version,
    ]);
    return rows.length ? toVersion(rows[0]) : null;
  }

  async run(manager: EntityManager, runId: string): Promise<RunFacts | null> {
    const rows: RunRow[] = await manager.query('SELECT * FROM governance.run_facts WHERE run_id = $1', [runId]);
    if (!rows.length) return null;
    const row = rows[0];
    return {
      runId: row.run_id,
      requestId: row.request_id,
      metrics: row.metrics,
      championMetrics: row.champion_metrics,
      parentVersion: row.parent_version,
      groupMetrics: row.group_metrics,
    };
  }

  /** Who requested a training request; undefined when governance has not seen the request. */
  async requester(manager: EntityManager, requestId: string): Promise<string | undefined> {
    const rows: { requested_by: string }[] = await manager.query('SELECT requested_by FROM governance.request_facts WHERE request_id = $1', [
      requestId,
    ]);
    return rows[0]?.requested_by;
  }

  async servingChampion(manager: EntityManager, modelName: string): Promise<ServingChampion | null> {
    const rows: { champion_version: number; signature: ModelSignature | null }[] = await manager.query(
      `SELECT s.champion_version, v.signature FROM governance.serving_facts s
       LEFT JOIN governance.version_facts v ON v.model_name = s.model_name AND v.version = s.champion_version
       WHERE s.model_name = $1 AND s.champion_version IS NOT NULL`,
      [modelName],
    );
    return rows.length ? { version: rows[0].champion_version, signature: rows[0].signature } : null;
  }

  async versionsOfRun(manager: EntityManager, runId: string): Promise<{ modelName: string; version: number }[]> {
    const rows: { model_name: string; version: number }[] = await manager.query(
      'SELECT model_name, version FROM governance.version_facts WHERE run_id = $1',
      [runId],
    );
    return rows.map((row) => ({ modelName: row.model_name, version: row.version }));
  }
}

function toVersion(row: VersionRow): VersionFacts {
  return {
    modelName: row.model_name,
    version: row.version,
    riskTier: row.risk_tier,
    owner: row.owner,
    registeredBy: row.registered_by,
    signature: row.signature,
    metrics: row.metrics,
    runId: row.run_id,
    datasetSha256: row.dataset_sha256,
    registeredAt: row.registered_at.toISOString(),
  };
}
