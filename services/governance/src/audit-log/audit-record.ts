import type { PlatformEvent, TopicName } from '@mlops/contracts';

/** What is appended: a platform event as consumed, or a decision governance records itself. */
export interface AuditRecord {
  /** Unique per record; appending the same id again does nothing. */
  eventId: string;
  /** CloudEvents type; governance's own records use `governance.<what>.v<n>`. */
  eventType: string;
  source: string;
  /** The model name for everything about a model. */
  subject: string;
  occurredAt: Date;
  data: unknown;
}

export function auditRecordOf(event: PlatformEvent<TopicName>): AuditRecord {
  return {
    eventId: event.id,
    eventType: event.type,
    source: event.source,
    subject: event.subject,
    occurredAt: new Date(event.time),
    data: event.data,
  };
}
