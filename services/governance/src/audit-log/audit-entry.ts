export interface AuditEntry {
  seq: number;
  eventId: string;
  eventType: string;
  source: string;
  subject: string;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
}

export interface AuditQuery {
  subject?: string;
  eventType?: string;
  /** Entries after this sequence number, for paging forward through the log. */
  afterSeq: number;
  limit: number;
}
