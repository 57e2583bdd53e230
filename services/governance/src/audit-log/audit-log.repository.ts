import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditEntry } from '@mlops/contracts';
import type { AuditContent, ChainHead } from './audit-chain';
import { AUDIT_ENTRY_COLUMNS, AUDIT_TABLES, AuditRow } from './audit-tables';

export interface AuditQuery {
  subject?: string;
  eventType?: string;
  /** Entries after this sequence number, for paging forward through the log. */
  afterSeq: number;
  limit: number;
}

/** Reads of the chain: pages for listing, verifying and exporting, and the events a projection is built from. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT ${AUDIT_ENTRY_COLUMNS} FROM ${AUDIT_TABLES.trail}
       WHERE seq > $1 AND ($2::text IS NULL OR subject = $2) AND ($3::text IS NULL OR event_type = $3)
       ORDER BY seq LIMIT $4`,
      [query.afterSeq, query.subject ?? null, query.eventType ?? null, query.limit],
    );
    return rows.map(entryOf);
  }

  /** Entries in seq order, as stored, whatever they hold: what verification and export read. */
  async page(afterSeq: number, limit: number, manager: EntityManager = this.dataSource.manager): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await manager.query(
      `SELECT ${AUDIT_ENTRY_COLUMNS} FROM ${AUDIT_TABLES.trail} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(entryOf);
  }

  async head(manager: EntityManager = this.dataSource.manager): Promise<ChainHead> {
    const [row]: { seq: string; entry_sha256: string }[] = await manager.query(`SELECT seq, entry_sha256 FROM ${AUDIT_TABLES.head}`);
    return { seq: Number(row.seq), entrySha256: row.entry_sha256 };
  }

  /** Entries of these types, about one subject (a model) or all when subject is null, recorded up to `until`. */
  async eventsOf(subject: string | null, eventTypes: readonly string[], until: Date = new Date()): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT ${AUDIT_ENTRY_COLUMNS} FROM ${AUDIT_TABLES.trail}
       WHERE ($1::text IS NULL OR subject = $1) AND event_type = ANY($2) AND occurred_at <= $3
       ORDER BY seq`,
      [subject, eventTypes, until],
    );
    return rows.map(entryOf);
  }
}

/** What a stored row says, before its hashes: also what the legacy audit_log rows held. */
export function contentOfRow(row: Omit<AuditRow, 'content_sha256' | 'previous_sha256' | 'entry_sha256'>): AuditContent {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    eventType: row.event_type,
    source: row.source,
    subject: row.subject,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    data: row.data,
  };
}

export function entryOf(row: AuditRow): AuditEntry {
  return {
    ...contentOfRow(row),
    contentSha256: row.content_sha256,
    previousSha256: row.previous_sha256,
    entrySha256: row.entry_sha256,
  };
}
