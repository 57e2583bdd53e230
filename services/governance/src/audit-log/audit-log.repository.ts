import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformEvent, TopicName } from '@mlops/contracts';
import type { AuditEntry, AuditQuery } from './audit-entry';

interface AuditRow {
  seq: string;
  event_id: string;
  event_type: string;
  source: string;
  subject: string;
  occurred_at: Date;
  recorded_at: Date;
  data: unknown;
}

/** The append-only audit log in governance's schema. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(manager: EntityManager, event: PlatformEvent<TopicName>): Promise<void> {
    await manager.query(
      `INSERT INTO governance.audit_log (event_id, event_type, source, subject, occurred_at, data)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.id, event.type, event.source, event.subject, event.time, JSON.stringify(event.data)],
    );
  }

  async query(query: AuditQuery): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.dataSource.query(
      `SELECT * FROM governance.audit_log
       WHERE seq > $1 AND ($2::text IS NULL OR subject = $2) AND ($3::text IS NULL OR event_type = $3)
       ORDER BY seq LIMIT $4`,
      [query.afterSeq, query.subject ?? null, query.eventType ?? null, query.limit],
    );
    return rows.map((row) => ({
      seq: Number(row.seq),
      eventId: row.event_id,
      eventType: row.event_type,
      source: row.source,
      subject: row.subject,
      occurredAt: row.occurred_at.toISOString(),
      recordedAt: row.recorded_at.toISOString(),
      data: row.data,
    }));
  }
}
