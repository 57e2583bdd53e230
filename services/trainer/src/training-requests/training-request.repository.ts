import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { TrainingRequestStatus } from '@mlops/contracts';

interface StatusRow {
  request_id: string;
  model_name: string | null;
  requested_at: Date | null;
  started_at: Date | null;
  iteration: number | null;
  total_iterations: number | null;
  progress_at: Date | null;
  run_id: string | null;
  run_model_name: string | null;
  completed_at: Date | null;
  attempt_model_name: string | null;
  failed_attempts: number | null;
  last_reason: string | null;
  failed_at: Date | null;
}

/**
 * Where a training request stands: queued from the moment the API or the trainer's job queue holds it. Only its
 * queueing and progress are written here; completion and failure
 * are read from the run and attempt records, so the status can never disagree with what was published.
 */
@Injectable()
export class TrainingRequestRepository {
  /** Status reads go through the service's data source; writes take the manager of the caller's transaction. */
  constructor(private readonly dataSource: DataSource) {}

  /** Returns false when the request id was already queued (a client retrying its POST). */
  async insertQueued(manager: EntityManager, requestId: string, modelName: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO trainer.training_requests (request_id, model_name, requested_at) VALUES ($1, $2, now())
       ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [requestId, modelName],
    );
    return rows.length === 1;
  }

  /** A new attempt starts from no progress, whichever instance made the previous one. */
  async markStarted(manager: EntityManager, requestId: string, modelName: string): Promise<void> {
    await manager.query(
      `INSERT INTO trainer.training_requests (request_id, model_name, started_at) VALUES ($1, $2, now())
       ON CONFLICT (request_id) DO UPDATE SET started_at = now(), iteration = NULL, total_iterations = NULL, progress_at = NULL`,
      [requestId, modelName],
    );
  }

  async recordProgress(manager: EntityManager, requestId: string, iteration: number, totalIterations: number): Promise<void> {
    await manager.query(
      `UPDATE trainer.training_requests SET iteration = $2, total_iterations = $3, progress_at = now() WHERE request_id = $1`,
      [requestId, iteration, totalIterations],
    );
  }

  async status(requestId: string): Promise<TrainingRequestStatus | null> {
    const rows: StatusRow[] = await this.dataSource.query(
      `SELECT k.request_id, coalesce(q.model_name, j.model_name) AS model_name, coalesce(q.requested_at, j.queued_at) AS requested_at,
              q.started_at, q.iteration, q.total_iterations, q.progress_at,
              r.run_id, r.model_name AS run_model_name, r.completed_at,
              a.model_name AS attempt_model_name, a.failed_attempts, a.last_reason, a.failed_at
       FROM (SELECT $1::uuid AS request_id) k
       LEFT JOIN trainer.training_requests q ON q.request_id = k.request_id
       LEFT JOIN trainer.training_runs r ON r.request_id = k.request_id
       LEFT JOIN trainer.training_attempts a ON a.request_id = k.request_id
       LEFT JOIN trainer.training_jobs j ON j.request_id = k.request_id`,
      [requestId],
    );
    return toStatus(rows[0]);
  }
}

function toStatus(row: StatusRow): TrainingRequestStatus | null {
  const requestId = row.request_id;
  if (row.run_id && row.completed_at) {
    return { requestId, modelName: row.run_model_name ?? '', status: 'completed', runId: row.run_id, completedAt: row.completed_at.toISOString() };
  }
  if (row.failed_at) {
    return {
      requestId,
      modelName: row.attempt_model_name ?? '',
      status: 'failed',
      reason: row.last_reason ?? '',
      attempts: row.failed_attempts ?? 0,
      failedAt: row.failed_at.toISOString(),
    };
  }
  if (!row.model_name) return null;
  if (!row.started_at) return { requestId, modelName: row.model_name, status: 'queued', requestedAt: row.requested_at?.toISOString() ?? null };
  return {
    requestId,
    modelName: row.model_name,
    status: 'training',
    startedAt: row.started_at.toISOString(),
    progress:
      row.iteration !== null && row.total_iterations !== null && row.progress_at
        ? { iteration: row.iteration, totalIterations: row.total_iterations, updatedAt: row.progress_at.toISOString() }
        : null,
    failedAttempts: row.failed_attempts ?? 0,
    lastFailure: row.last_reason,
  };
}
