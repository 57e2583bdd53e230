import type { DataSource } from 'typeorm';
import { backoffDelay } from './backoff';
import { describeError } from './describe-error';
import { CLOUDEVENTS_HEADERS, EventPublisher, RawMessage } from './event-publisher';
import { outboxTable } from './messaging-tables';
import type { MessagingLogger } from './messaging-logger';

export interface OutboxRelayOptions {
  /** Pause between polls of an empty outbox, and the first backoff after a failure. */
  pollIntervalMs?: number;
  /** Rows locked and published per transaction. */
  batchSize?: number;
  /** Longest pause between attempts while publishing keeps failing. */
  maxBackoffMs?: number;
  logger?: MessagingLogger;
}

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: Buffer;
}

/**
 * Publishes outbox rows in `seq` order and marks them published. A row is marked only after Kafka acknowledged
 * it, so a crash in between republishes it; the event keeps its id and consumers dedupe it.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxBackoffMs: number;
  private loop: Promise<void> | null = null;
  private running = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions = {},
  ) {
    this.table = outboxTable(schema);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.batchSize = options.batchSize ?? 100;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Returns once the cycle in progress, if any, has finished. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Publishes everything pending now; returns how many events were published. Rejects if publishing fails. */
  async drainOnce(): Promise<number> {
    let published = 0;
    for (;;) {
      const batch = await this.publishBatch();
      published += batch;
      if (batch < this.batchSize) return published;
    }
  }

  async pending(): Promise<number> {
    const [row]: { count: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM ${this.table} WHERE published_at IS NULL`,
    );
    return row.count;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.drainOnce();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.logger?.warn(`outbox of schema ${this.schema}: publishing failed ${failures} time(s) in a row`, {
          error: describeError(error),
        });
      }
      await this.pause(
        failures === 0
          ? this.pollIntervalMs
          : backoffDelay(failures, { initialBackoffMs: this.pollIntervalMs, maxBackoffMs: this.maxBackoffMs }),
      );
    }
  }

  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake?.(), ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private async publishBatch(): Promise<number> {
    let claimed: OutboxRow[] = [];
    try {
      return await this.dataSource.transaction(async (manager) => {
        // Replicas take turns per schema: with each locking a different slice of rows, one replica could publish
        // a model's later event before another publishes its earlier one, breaking per-key order in Kafka.
        const [{ locked }]: { locked: boolean }[] = await manager.query(
          `SELECT pg_try_advisory_xact_lock(hashtext('mlops.outbox-relay'), hashtext($1)) AS locked`,
          [this.schema],
        );
        if (!locked) return 0;
        claimed = await manager.query(
          `SELECT seq, topic, message_key, payload FROM ${this.table}
           WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
          [this.batchSize],
        );
        if (claimed.length === 0) return 0;
        await this.publishInOrder(claimed);
        await manager.query(
          `UPDATE ${this.table} SET published_at = now(), attempts = attempts + 1, last_error = NULL
           WHERE seq = ANY($1::bigint[])`,
          [claimed.map((row) => row.seq)],
        );
        return claimed.length;
      });
    } catch (error) {
      if (claimed.length > 0) await this.recordFailure(claimed, error);
      throw error;
    }
  }

  /** Consecutive rows of one topic go out as one request; topics are visited in seq order. */
  private async publishInOrder(rows: OutboxRow[]): Promise<void> {
    const runs: { topic: string; messages: RawMessage[] }[] = [];
    for (const row of rows) {
      const message: RawMessage = { key: row.message_key, value: row.payload, headers: { ...CLOUDEVENTS_HEADERS } };
      const last = runs.at(-1);
      if (last?.topic === row.topic) last.messages.push(message);
      else runs.push({ topic: row.topic, messages: [message] });
    }
    for (const { topic, messages } of runs) await this.publisher.publishRaw(topic, messages);
  }

  /** After the rollback: the rows stay pending, with a trace of why, for operators and the pending gauge. */
  private async recordFailure(rows: OutboxRow[], error: unknown): Promise<void> {
    await this.dataSource
      .query(
        `UPDATE ${this.table} SET attempts = attempts + 1, last_error = $2
         WHERE seq = ANY($1::bigint[]) AND published_at IS NULL`,
        [rows.map((row) => row.seq), describeError(error)],
      )
      .catch((recordError) =>
        this.options.logger?.warn(`outbox of schema ${this.schema}: could not record a publish failure`, {
          error: describeError(recordError),
        }),
      );
  }
}
