import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

@Injectable()
export class TrainingAttemptRepository {
  /** Counts one more failed attempt at the request and returns the count so far. */
  async recordFailure(manager: EntityManager, requestId: string, modelName: string, reason: string): Promise<number> {
    const rows: { failed_attempts: number }[] = await manager.query(
      `INSERT INTO trainer.training_attempts (request_id, model_name, failed_attempts, last_reason)
       VALUES ($1, $2, 1, $3)
       ON CONFLICT (request_id) DO UPDATE
         SET failed_attempts = trainer.training_attempts.failed_attempts + 1, last_reason = $3, updated_at = now()
       RETURNING failed_attempts`,
      [requestId, modelName, reason],
    );
    return rows[0].failed_attempts;
  }

  async hasFailed(manager: EntityManager, requestId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM trainer.training_attempts WHERE request_id = $1 AND failed_at IS NOT NULL`,
      [requestId],
    );
    return rows.length > 0;
  }

  async markFailed(manager: EntityManager, requestId: string): Promise<void> {
    await manager.query(`UPDATE trainer.training_attempts SET failed_at = now() WHERE request_id = $1`, [requestId]);
  }
}
