import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { EventData, RetrainingDecision, RetrainingHistory } from '@mlops/contracts';

type Recipe = EventData<'mlops.training.requested'>;

/** The monitor's projection of training: the last request per model (the recipe) and which requests finished. */
@Injectable()
export class RetrainingRepository {
  constructor(private readonly dataSource: DataSource) {}

  async recordRequest(manager: EntityManager, request: Recipe, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.training_recipes (model_name, request, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (model_name) DO UPDATE SET request = EXCLUDED.request, updated_at = EXCLUDED.updated_at
       WHERE monitor.training_recipes.updated_at <= EXCLUDED.updated_at`,
      [request.modelName, JSON.stringify(request), at],
    );
    await manager.query(
      `INSERT INTO monitor.training_runs (request_id, model_name, status, updated_at) VALUES ($1, $2, 'requested', $3) ON CONFLICT (request_id) DO NOTHING`,
      [request.requestId, request.modelName, at],
    );
  }

  async recordOutcome(manager: EntityManager, requestId: string, modelName: string, status: 'completed' | 'failed', at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.training_runs (request_id, model_name, status, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (request_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
      [requestId, modelName, status, at],
    );
  }

  async recipe(manager: EntityManager, modelName: string): Promise<Recipe | null> {
    const rows: { request: Recipe }[] = await manager.query('SELECT request FROM monitor.training_recipes WHERE model_name = $1', [modelName]);
    return rows[0]?.request ?? null;
  }

  /** Requests of the model still running; requests older than a week are taken as lost rather than in progress. */
  async running(manager: EntityManager, modelName: string, now: Date): Promise<RetrainingHistory['running']> {
    const rows: { request_id: string; updated_at: Date }[] = await manager.query(
      `SELECT request_id, updated_at FROM monitor.training_runs
       WHERE model_name = $1 AND status = 'requested' AND updated_at > $2::timestamptz - interval '7 days' ORDER BY updated_at`,
      [modelName, now],
    );
    return rows.map((r) => ({ requestId: r.request_id, requestedAt: r.updated_at.toISOString() }));
  }

  async requestedSince(manager: EntityManager, modelName: string, since: Date): Promise<{ count: number; last: Date | null }> {
    const [row] = await manager.query(
      `SELECT count(*) FILTER (WHERE decided_at > $2)::int AS count, max(decided_at) AS last
       FROM monitor.retraining_decisions WHERE model_name = $1 AND decision = 'requested'`,
      [modelName, since],
    );
    return { count: row.count, last: row.last };
  }

  async recordDecision(manager: EntityManager, decision: RetrainingDecision): Promise<void> {
    await manager.query(
      `INSERT INTO monitor.retraining_decisions (model_name, decision, reason, cause, training_request_id, decided_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [decision.modelName, decision.decision, decision.reason, JSON.stringify(decision.cause), decision.trainingRequestId, decision.decidedAt],
    );
  }

  /** The decisions, newest first, with the recipe and the running requests the next decision would rest on. */
  async history(modelName: string, limit: number): Promise<RetrainingHistory> {
    const manager = this.dataSource.manager;
    return { items: await this.decisions(modelName, limit), recipe: await this.recipe(manager, modelName), running: await this.running(manager, modelName, new Date()) };
  }

  private async decisions(modelName: string, limit: number): Promise<RetrainingDecision[]> {
    const rows: { model_name: string; decision: RetrainingDecision['decision']; reason: string; cause: RetrainingDecision['cause']; training_request_id: string | null; decided_at: Date }[] =
      await this.dataSource.query('SELECT * FROM monitor.retraining_decisions WHERE model_name = $1 ORDER BY decided_at DESC, id DESC LIMIT $2', [modelName, limit]);
    return rows.map((r) => ({ modelName: r.model_name, decision: r.decision, reason: r.reason, cause: r.cause, trainingRequestId: r.training_request_id, decidedAt: r.decided_at.toISOString() }));
  }
}
