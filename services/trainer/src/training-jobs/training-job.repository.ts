import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';

const TABLE = 'trainer.training_jobs';

export type TrainingRequestedEvent = PlatformEvent<'mlops.training.requested'>;

/** A job in the hands of one runner until its lease lapses. */
export interface ClaimedJob {
  event: TrainingRequestedEvent;
  /** Failed tries before this one, whichever instance made them. */
  tries: number;
}

/**
 * The trainer's queue of training requests. A runner claims a queued job (or one whose lease lapsed) under a
 * lease it must renew; rows another runner is claiming are skipped. A finished job is never claimed again.
 */
@Injectable()
export class TrainingJobRepository {
  /** Single statements go through the service's data source; finishing takes the manager of the outcome's transaction. */
  constructor(private readonly dataSource: DataSource) {}

  /** Returns false when the request already has a job (a redelivery or a resubmission). */
  async enqueue(event: TrainingRequestedEvent): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO ${TABLE} (request_id, model_name, event) VALUES ($1, $2, $3)
       ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
      [event.data.requestId, event.data.modelName, JSON.stringify(event)],
    );
    return rows.length === 1;
  }

  /**
   * The job claimable longest, now leased to `owner` for `leaseMs`; null when there is none. Ordered by when each became
   * claimable, not by when it was queued: a job backing off from an outage goes behind the requests that came meanwhile.
   */
  async claim(owner: string, leaseMs: number): Promise<ClaimedJob | null> {
    const [rows]: [{ event: TrainingRequestedEvent; tries: number }[], number] = await this.dataSource.query(
      `UPDATE ${TABLE} SET state = 'running', lease_owner = $1, lease_expires_at = now() + $2 * interval '1 millisecond'
       WHERE request_id = (
         SELECT request_id FROM ${TABLE}
         WHERE (state = 'queued' AND run_after <= now()) OR (state = 'running' AND lease_expires_at <= now())
         ORDER BY CASE WHEN state = 'queued' THEN run_after ELSE lease_expires_at END LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING event, tries`,
      [owner, leaseMs],
    );
    return rows.length > 0 ? { event: rows[0].event, tries: rows[0].tries } : null;
  }

  /** Returns false when the lease is no longer the owner's (it lapsed and another runner took the job, or it finished). */
  async renew(requestId: string, owner: string, leaseMs: number): Promise<boolean> {
    const [, affected]: [unknown[], number] = await this.dataSource.query(
      `UPDATE ${TABLE} SET lease_expires_at = now() + $3 * interval '1 millisecond'
       WHERE request_id = $1 AND lease_owner = $2 AND state = 'running'`,
      [requestId, owner, leaseMs],
    );
    return affected > 0;
  }

  /** Puts the owner's job back in the queue, to be claimed again after `delayMs`. */
  async retryLater(requestId: string, owner: string, delayMs: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${TABLE} SET state = 'queued', lease_owner = NULL, lease_expires_at = NULL, tries = tries + 1, last_error = $3,
         run_after = now() + $4 * interval '1 millisecond'
       WHERE request_id = $1 AND lease_owner = $2 AND state = 'running'`,
      [requestId, owner, error, delayMs],
    );
  }

  /** Given the manager of the transaction that records the outcome, the outcome and the end of the job commit together. */
  async finish(requestId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `UPDATE ${TABLE} SET state = 'finished', lease_owner = NULL, lease_expires_at = NULL, finished_at = now()
       WHERE request_id = $1 AND state <> 'finished'`,
      [requestId],
    );
  }

  async countQueued(): Promise<number> {
    const rows: { queued: number }[] = await this.dataSource.query(`SELECT count(*)::int AS queued FROM ${TABLE} WHERE state = 'queued'`);
    return rows[0].queued;
  }
}
