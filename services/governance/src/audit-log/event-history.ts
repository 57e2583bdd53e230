import { Injectable } from '@nestjs/common';
import { AuditCitation, AuditEntry, EventData, eventType, TopicName } from '@mlops/contracts';
import { AuditLogRepository } from './audit-log.repository';

/** A platform event as the chain holds it: its data (validated by its contract when consumed) and its link. */
export interface RecordedEvent<T extends TopicName> {
  data: EventData<T>;
  occurredAt: Date;
  source: string;
  citation: AuditCitation;
}

/** The chained events of some topics, grouped by topic, each list in chain order. */
export class EventHistory {
  constructor(private readonly byType: ReadonlyMap<string, AuditEntry[]>) {}

  of<T extends TopicName>(topic: T): RecordedEvent<T>[] {
    return (this.byType.get(eventType(topic)) ?? []).map((entry) => ({
      data: entry.data as EventData<T>,
      occurredAt: new Date(entry.occurredAt),
      source: entry.source,
      citation: { seq: entry.seq, eventType: entry.eventType, entrySha256: entry.entrySha256 },
    }));
  }
}

/** What governance's projections (served-at, cards, delivery metrics, the test score) read: the chain itself. */
@Injectable()
export class EventHistoryReader {
  constructor(private readonly auditLog: AuditLogRepository) {}

  /** Events about one model, or about every model when `modelName` is null, that occurred up to `until`. */
  async read(modelName: string | null, topics: readonly TopicName[], until?: Date): Promise<EventHistory> {
    const entries = await this.auditLog.eventsOf(modelName, topics.map(eventType), until);
    const byType = new Map<string, AuditEntry[]>();
    for (const entry of entries) {
      const list = byType.get(entry.eventType);
      if (list) list.push(entry);
      else byType.set(entry.eventType, [entry]);
    }
    return new EventHistory(byType);
  }
}
