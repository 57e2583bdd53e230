import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TrainingRun, TrainingRunSummary } from '@mlops/contracts';
import type { LossPoint } from '@mlops/ml';

export interface CompletedRun {
  runId: string;
  requestId: string;
  modelName: string;
  algorithm: string;
  seed: number;
  params: Record<string, number>;
  metrics: Record<string, number>;
  lossCurve: LossPoint[];
  dataset: { snapshotId: string; sha256: string };
  artifact: { uri: string; sha256: string; sizeBytes: number };
  referenceProfileUri: string;
  codeVersion: string;
  environment: Record<string, string>;
  durationMs: number;
}

/** The champion scored on the run's holdout (see ChampionEvaluation); all null when the model had no champion. */
export interface ChampionComparison {
  /** The champion's version, the run's parent in the lineage. */
  parentVersion: number | null;
  championSource: string | null;
  championMetrics: Record<string, number> | null;
  /** Why a champion existed but was not scored (features that do not fit, a failed integrity check). */
  championSkippedReason: string | null;
}

interface RunRow {
  run_id: string;
  request_id: string;
  model_name: string;
  algorithm: TrainingRun['algorithm'];
  seed: number;
  params: Record<string, number>;
  metrics: Record<string, number>;
  loss_curve: LossPoint[];
  dataset_snapshot_id: string;
  dataset_sha256: string;
  artifact_uri: string;
  artifact_sha256: string;
  artifact_size_bytes: string;
  reference_profile_uri: string;
  code_version: string;
  environment: Record<string, string>;
  duration_ms: number;
  completed_at: Date;
  champion_version: number | null;
  champion_source: string | null;
  champion_metrics: Record<string, number> | null;
  champion_skipped_reason: string | null;
}

const toView = (row: RunRow): TrainingRun => ({
  runId: row.run_id,
  requestId: row.request_id,
  modelName: row.model_name,
  algorithm: row.algorithm,
  status: 'completed',
  seed: row.seed,
  params: row.params,
  metrics: row.metrics,
  lossCurve: row.loss_curve,
  dataset: { snapshotId: row.dataset_snapshot_id, sha256: row.dataset_sha256 },
  artifact: { uri: row.artifact_uri, sha256: row.artifact_sha256, sizeBytes: Number(row.artifact_size_bytes) },
  referenceProfileUri: row.reference_profile_uri,
  codeVersion: row.code_version,
  environment: row.environment,
  durationMs: row.duration_ms,
  completedAt: row.completed_at.toISOString(),
  parentVersion: row.champion_version,
  championSource: row.champion_source,
  championMetrics: row.champion_metrics,
  championSkippedReason: row.champion_skipped_reason,
});

function toSummary(row: RunRow): TrainingRunSummary {
  const view: Partial<TrainingRun> = toView(row);
  delete view.lossCurve;
  return view as TrainingRunSummary;
}

@Injectable()
export class TrainingRunRepository {
  /** Reads go through the service's data source; writes take the manager of the caller's transaction. */
  constructor(private readonly dataSource: DataSource) {}

  /** Records the run unless its request already has one; returns whether this call recorded it. */
  async insertCompleted(manager: EntityManager, run: CompletedRun): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO trainer.training_runs (run_id, request_id, model_name, algorithm, seed, params, metrics, loss_curve,
         dataset_snapshot_id, dataset_sha256, artifact_uri, artifact_sha256, artifact_size_bytes, reference_profile_uri,
         code_version, environment, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (request_id) DO NOTHING
       RETURNING run_id`,
      [
        run.runId,
        run.requestId,
        run.modelName,
        run.algorithm,
        run.seed,
        JSON.stringify(run.params),
        JSON.stringify(run.metrics),
        JSON.stringify(run.lossCurve),
        run.dataset.snapshotId,
        run.dataset.sha256,
        run.artifact.uri,
        run.artifact.sha256,
        run.artifact.sizeBytes,
        run.referenceProfileUri,
        run.codeVersion,
        JSON.stringify(run.environment),
        Math.round(run.durationMs),
      ],
    );
    return rows.length === 1;
  }

  /** Records the champion comparison of a run; call it in the transaction that records the run. */
  async attachChampionComparison(manager: EntityManager, runId: string, comparison: ChampionComparison): Promise<void> {
    await manager.query(
      `UPDATE trainer.training_runs SET champion_version = $2, champion_source = $3, champion_metrics = $4, champion_skipped_reason = $5 WHERE run_id = $1`,
      [
        runId,
        comparison.parentVersion,
        comparison.championSource,
        comparison.championMetrics ? JSON.stringify(comparison.championMetrics) : null,
        comparison.championSkippedReason,
      ],
    );
  }

  async findByRequest(manager: EntityManager, requestId: string): Promise<{ runId: string; artifactSha256: string } | null> {
    const rows: { run_id: string; artifact_sha256: string }[] = await manager.query(
      `SELECT run_id, artifact_sha256 FROM trainer.training_runs WHERE request_id = $1`,
      [requestId],
    );
    return rows[0] ? { runId: rows[0].run_id, artifactSha256: rows[0].artifact_sha256 } : null;
  }

  /** Newest first; the loss curve is left out of the listing (it is per run, in `find`). */
  async list(filter: { modelName?: string; limit: number; offset: number }): Promise<TrainingRunSummary[]> {
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT * FROM trainer.training_runs WHERE ($1::text IS NULL OR model_name = $1)
       ORDER BY completed_at DESC, run_id LIMIT $2 OFFSET $3`,
      [filter.modelName ?? null, filter.limit, filter.offset],
    );
    return rows.map(toSummary);
  }

  /** The runs found among `runIds`, without loss curves; missing ids are simply absent. */
  async findMany(runIds: string[]): Promise<TrainingRunSummary[]> {
    const rows: RunRow[] = await this.dataSource.query(`SELECT * FROM trainer.training_runs WHERE run_id = ANY($1::uuid[])`, [runIds]);
    return rows.map(toSummary);
  }

  async find(runId: string): Promise<TrainingRun | null> {
    const rows: RunRow[] = await this.dataSource.query(`SELECT * FROM trainer.training_runs WHERE run_id = $1`, [runId]);
    return rows[0] ? toView(rows[0]) : null;
  }

  /** Links a run to its log object (RunLogStore); call it in the transaction that records the run. */
  async attachLog(manager: EntityManager, runId: string, log: { uri: string; sha256: string }): Promise<void> {
    await manager.query(`UPDATE trainer.training_runs SET log_uri = $2, log_sha256 = $3 WHERE run_id = $1`, [runId, log.uri, log.sha256]);
  }

  /** undefined: no such run; null: a run without a log. */
  async findLog(runId: string): Promise<{ uri: string; sha256: string } | null | undefined> {
    const rows: { log_uri: string | null; log_sha256: string | null }[] = await this.dataSource.query(
      `SELECT log_uri, log_sha256 FROM trainer.training_runs WHERE run_id = $1`,
      [runId],
    );
    if (rows.length === 0) return undefined;
    return rows[0].log_uri && rows[0].log_sha256 ? { uri: rows[0].log_uri, sha256: rows[0].log_sha256.trim() } : null;
  }
}
