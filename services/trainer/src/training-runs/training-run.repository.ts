import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

@Injectable()
export class TrainingRunRepository {
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

  async findByRequest(manager: EntityManager, requestId: string): Promise<{ runId: string; artifactSha256: string } | null> {
    const rows: { run_id: string; artifact_sha256: string }[] = await manager.query(
      `SELECT run_id, artifact_sha256 FROM trainer.training_runs WHERE request_id = $1`,
      [requestId],
    );
    return rows[0] ? { runId: rows[0].run_id, artifactSha256: rows[0].artifact_sha256 } : null;
  }
}
