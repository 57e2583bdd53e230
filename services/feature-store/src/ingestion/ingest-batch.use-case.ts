import { Injectable } from '@nestjs/common';
import { dlqTopic } from '@mlops/contracts';
import { EventPublisher } from '@mlops/messaging';
import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { FeatureWriter } from '../storage/feature-writer';
import { SortedBatch, SourceBatch, sortBatch } from './source-batch';

const DLQ = dlqTopic('feature-store');

/** Writes what a batch's views accept and dead-letters what they refuse. */
@Injectable()
export class IngestBatch {
  constructor(
    private readonly writer: FeatureWriter,
    private readonly publisher: EventPublisher,
  ) {}

  async apply(batch: SourceBatch, views: FeatureViewVersion[]): Promise<SortedBatch> {
    const sorted = sortBatch(batch, views, new Date());
    if (sorted.deadLetters.length) await this.publisher.publishRaw(DLQ, sorted.deadLetters);
    await this.writer.write(sorted.rows);
    return sorted;
  }
}
