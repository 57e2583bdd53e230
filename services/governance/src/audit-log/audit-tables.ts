/** Governance's audit tables; the schema is fixed by the service (libs/config), so names are too. */
export const AUDIT_TABLES = {
  trail: 'governance.audit_trail',
  head: 'governance.audit_head',
  hourlyCounts: 'governance.event_counts_hourly',
  countedOffsets: 'governance.counted_offsets',
  legacyLog: 'governance.audit_log',
} as const;

export const AUDIT_ENTRY_COLUMNS =
  'seq, event_id, event_type, source, subject, occurred_at, recorded_at, data, content_sha256, previous_sha256, entry_sha256';

export interface AuditRow {
  seq: string;
  event_id: string;
  event_type: string;
  source: string;
  subject: string;
  occurred_at: Date;
  recorded_at: Date;
  data: unknown;
  content_sha256: string;
  previous_sha256: string;
  entry_sha256: string;
}
