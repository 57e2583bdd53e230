import { Injectable } from '@nestjs/common';
import { TOPIC_NAMES } from '@mlops/contracts';
import type { EventConsumer } from '@mlops/messaging';
import type { EventSubscriber } from '@mlops/service-kit';
import { CountHighVolumeEvent } from '../high-volume-counts/count-high-volume-event.use-case';
import { HIGH_VOLUME_TOPICS } from '../high-volume-counts/high-volume-topics';
import { PublishModelCard } from '../model-cards/publish-model-card.use-case';
import { AuditMetrics } from './audit-metrics';
import { RecordAuditEntry } from './record-audit-entry.use-case';

/**
 * The audit handler of every platform topic (policies and approvals register their own beside it): high-volume
 * records are counted, every other event is chained first, then whatever is built from the chain is refreshed.
 */
@Injectable()
export class PlatformEventsSubscriber implements EventSubscriber {
  constructor(
    private readonly recordAuditEntry: RecordAuditEntry,
    private readonly countHighVolumeEvent: CountHighVolumeEvent,
    private readonly publishModelCard: PublishModelCard,
    private readonly metrics: AuditMetrics,
  ) {}

  subscribe(consumer: EventConsumer): void {
    for (const topic of TOPIC_NAMES) {
      if (HIGH_VOLUME_TOPICS.has(topic)) {
        consumer.on(topic, async (event, meta) => void (await this.countHighVolumeEvent.execute(event, meta)));
        continue;
      }
      this.metrics.chains(topic);
      consumer.on(topic, async (event) => {
        if (await this.recordAuditEntry.execute(event)) this.metrics.appendedTo(topic);
        await this.publishModelCard.afterEvent(event);
      });
    }
  }
}
