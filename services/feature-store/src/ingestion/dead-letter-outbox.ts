import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformConfig } from '@mlops/config';
import { dlqTopic } from '@mlops/contracts';
import { EventPublisher } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { PLATFORM_CONFIG } from '@mlops/service-kit';
import type { DeadLetter } from './source-batch';

const DLQ = dlqTopic('feature-store');

interface PendingRow {
  source_offset: string;
  view_name: string;
  message_key: Buffer | null;
  message_value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Dead letters of the source topics, kept in Postgres until the dead-letter topic has them. Recorded in the
 * transaction of their batch's rows, once per (source record, view) however often the batch is delivered;
 * published after that transaction commits and marked, so a redelivery publishes only what was not. A process
 * that dies between Kafka's acknowledgement and the mark publishes those letters again on the redelivery, with
 * the same source topic, partition and offset headers to dedupe them by (the guarantee of the event outbox).
 */
@Injectable()
export class DeadLetterOutbox implements OnApplicationBootstrap, OnModuleDestroy {
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    private readonly logger: JsonLogger,
  ) {}

  /** Published letters are kept as long as the services keep their dedupe records, then deleted hourly. */
  onApplicationBootstrap(): void {
    const log = this.logger.child('DeadLetterOutbox');
    const hours = this.config.messagingRetention.processedEventsHours;
    this.pruneTimer = setInterval(() => {
      this.prune(new Date(Date.now() - hours * 3600_000)).catch((err: Error) => log.warn(`pruning dead letters failed: ${err.message}`));
    }, 3600_000);
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  /** Records the letters in the caller's transaction; letters recorded by an earlier delivery stay as they are. */
  async record(manager: EntityManager, topic: string, partition: number, letters: DeadLetter[]): Promise<void> {
    await manager.query(
      `INSERT INTO feature_store.dead_letters (source_topic, source_partition, source_offset, view_name, message_key, message_value, headers)
       SELECT $1, $2, l.* FROM unnest($3::bigint[], $4::text[], $5::bytea[], $6::bytea[], $7::jsonb[]) AS l
       ON CONFLICT DO NOTHING`,
      [
        topic,
        partition,
        letters.map((l) => l.offset),
        letters.map((l) => l.view),
        letters.map((l) => l.key),
        letters.map((l) => l.value),
        letters.map((l) => JSON.stringify(l.headers)),
      ],
    );
  }

  /**
   * Publishes the partition's unpublished letters in offset order and marks them. Rows are locked while they are
   * sent, so a second consumer of the partition (a rebalance in progress) skips them instead of sending them too.
   */
  async publishPending(topic: string, partition: number): Promise<void> {
    const pending = `FROM feature_store.dead_letters WHERE source_topic = $1 AND source_partition = $2 AND published_at IS NULL`;
    // Nearly every batch has none: one indexed look, no transaction.
    if ((await this.dataSource.query(`SELECT 1 ${pending} LIMIT 1`, [topic, partition])).length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      const rows: PendingRow[] = await manager.query(
        `SELECT source_offset, view_name, message_key, message_value, headers ${pending} ORDER BY source_offset, view_name FOR UPDATE SKIP LOCKED`,
        [topic, partition],
      );
      if (rows.length === 0) return;
      await this.publisher.publishRaw(DLQ, rows.map((row) => ({ key: row.message_key, value: row.message_value, headers: row.headers })));
      await manager.query(
        `UPDATE feature_store.dead_letters SET published_at = now()
         WHERE source_topic = $1 AND source_partition = $2 AND (source_offset, view_name) IN (SELECT * FROM unnest($3::bigint[], $4::text[]))`,
        [topic, partition, rows.map((row) => row.source_offset), rows.map((row) => row.view_name)],
      );
    });
  }

  async prune(publishedBefore: Date): Promise<void> {
    await this.dataSource.query('DELETE FROM feature_store.dead_letters WHERE published_at < $1', [publishedBefore]);
  }
}
