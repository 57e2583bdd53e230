import { Injectable } from '@nestjs/common';
import { TOPIC_NAMES } from '@mlops/contracts';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { RecordAuditEntry } from './record-audit-entry.use-case';

@Injectable()
export class PlatformEventsSubscriber implements EventSubscriber {
  constructor(private readonly recordAuditEntry: RecordAuditEntry) {}

  subscribe(consumer: EventConsumer): void {
    for (const topic of TOPIC_NAMES) {
      consumer.on(topic, async (event) => {
        await this.recordAuditEntry.execute(event);
      });
    }
  }
}
