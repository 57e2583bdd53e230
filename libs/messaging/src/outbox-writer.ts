import type { EntityManager } from 'typeorm';
import { encodeEvent, PlatformEvent, TopicName } from '@mlops/contracts';
import { outboxTable } from './messaging-tables';

/** Records events to publish in the same transaction as the state change they describe. */
export class OutboxWriter {
  private readonly table: string;

  constructor(schema: string) {
    this.table = outboxTable(schema);
  }

  /** Throws ContractViolation for an invalid event, so the caller's transaction rolls back with it. */
  async enqueue<T extends TopicName>(manager: EntityManager, topic: T, event: PlatformEvent<T>): Promise<void> {
    // Outside a transaction the row would commit on its own, and a later failure would publish an event for a
    // state change that never happened.
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.enqueue needs the EntityManager of an open transaction');
    }
    const payload = encodeEvent(topic, event);
    await manager.query(`INSERT INTO ${this.table} (event_id, topic, message_key, payload) VALUES ($1, $2, $3, $4)`, [
      event.id,
      topic,
      event.subject,
      payload,
    ]);
  }
}
