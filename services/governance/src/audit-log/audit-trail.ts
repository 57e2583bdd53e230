import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '@mlops/contracts';
import { chain } from './audit-chain';
import type { AuditRecord } from './audit-record';
import { AUDIT_TABLES } from './audit-tables';

/**
 * The only writer of the chain. Appends are serialized by the head row's lock, so any number of consumers and
 * replicas build one gapless chain; a record whose id is already in the chain is not appended again, whatever
 * the redelivery or the replica.
 */
@Injectable()
export class AuditTrail {
  /**
   * Appends inside the caller's READ COMMITTED transaction (an approval, an edit and its audit entry commit
   * together), holding the chain's lock until that transaction ends. Returns null when the id was appended before.
   */
  async append(manager: EntityManager, record: AuditRecord, recordedAt: Date = new Date()): Promise<AuditEntry | null> {
    const [head]: { seq: string; entry_sha256: string }[] = await manager.query(
      `SELECT seq, entry_sha256 FROM ${AUDIT_TABLES.head} FOR UPDATE`,
    );
    // Read after the lock: whoever held it before has committed, so an earlier append of this id is visible.
    const known: unknown[] = await manager.query(`SELECT 1 FROM ${AUDIT_TABLES.trail} WHERE event_id = $1`, [record.eventId]);
    if (known.length > 0) return null;
    const entry = chain(
      {
        seq: Number(head.seq) + 1,
        eventId: record.eventId,
        eventType: record.eventType,
        source: record.source,
        subject: record.subject,
        occurredAt: record.occurredAt.toISOString(),
        recordedAt: recordedAt.toISOString(),
        data: record.data,
      },
      head.entry_sha256,
    );
    await insertEntry(manager, entry);
    await manager.query(`UPDATE ${AUDIT_TABLES.head} SET seq = $1, entry_sha256 = $2`, [entry.seq, entry.entrySha256]);
    return entry;
  }
}

export async function insertEntry(manager: EntityManager, entry: AuditEntry): Promise<void> {
  await manager.query(
    `INSERT INTO ${AUDIT_TABLES.trail}
       (seq, event_id, event_type, source, subject, occurred_at, recorded_at, data, content_sha256, previous_sha256, entry_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      entry.seq,
      entry.eventId,
      entry.eventType,
      entry.source,
      entry.subject,
      entry.occurredAt,
      entry.recordedAt,
      JSON.stringify(entry.data),
      entry.contentSha256,
      entry.previousSha256,
      entry.entrySha256,
    ],
  );
}
