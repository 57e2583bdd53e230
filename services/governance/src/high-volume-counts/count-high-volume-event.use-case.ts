import { Injectable } from '@nestjs/common';
import type { PlatformEvent, TopicName } from '@mlops/contracts';
import type { ConsumedMeta } from '@mlops/messaging';
import { HourlyCountsRepository } from './hourly-counts.repository';

/** A prediction or label record adds one to its model's count for the hour it was produced in, once. */
@Injectable()
export class CountHighVolumeEvent {
  constructor(private readonly counts: HourlyCountsRepository) {}

  execute(event: PlatformEvent<TopicName>, meta: ConsumedMeta): Promise<boolean> {
    return this.counts.countOnce({
      topic: meta.topic,
      partition: meta.partition,
      offset: meta.offset,
      modelName: event.subject,
      eventType: event.type,
      time: new Date(event.time),
    });
  }
}
