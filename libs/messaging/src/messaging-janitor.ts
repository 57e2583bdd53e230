import type { DataSource } from 'typeorm';
import { outboxTable, processedEventsTable } from './messaging-tables';

export interface MessagingRetention {
  /** Published outbox rows older than this are deleted; unpublished rows never are. */
  publishedOutboxHours: number;
  /**
   * Dedupe records older than this are deleted. Keep it longer than the topics' retention: an event still in a
   * topic can be redelivered (a group reset, a replay), and its record is what makes that a no-op.
   */
  processedEventsHours: number;
}

export interface PruneResult {
  outbox: number;
  processedEvents: number;
}

// Deleting in slices keeps each transaction, and the locks it holds, short on a table that has grown large.
const SLICE = 5000;

/** Keeps a service's messaging tables from growing without bound. */
export class MessagingJanitor {
  private readonly outbox: string;
  private readonly processedEvents: string;

  constructor(
    private readonly dataSource: DataSource,
    schema: string,
    private readonly retention: MessagingRetention,
  ) {
    this.outbox = outboxTable(schema);
    this.processedEvents = processedEventsTable(schema);
  }

  async pruneOnce(now: Date = new Date()): Promise<PruneResult> {
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);
    return {
      outbox: await this.deleteInSlices(this.outbox, 'published_at', hoursAgo(this.retention.publishedOutboxHours)),
      processedEvents: await this.deleteInSlices(this.processedEvents, 'processed_at', hoursAgo(this.retention.processedEventsHours)),
    };
  }

  private async deleteInSlices(table: string, column: 'published_at' | 'processed_at', before: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [, count]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${column} < $1 LIMIT ${SLICE})`,
        [before],
      );
      deleted += count;
      if (count < SLICE) return deleted;
    }
  }
}
