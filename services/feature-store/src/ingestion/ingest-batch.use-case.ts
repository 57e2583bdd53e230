import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { FeatureWriter } from '../storage/feature-writer';
import { DeadLetterOutbox } from './dead-letter-outbox';
import { SortedBatch, SourceBatch, sortBatch } from './source-batch';

/**
 * Writes what a batch's views accept and dead-letters what they refuse, each exactly once however often the batch
 * is delivered: the rows are idempotent, and the dead letters are recorded with them in one transaction, then
 * published once it has committed.
 */
@Injectable()
export class IngestBatch {
  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: FeatureWriter,
    private readonly deadLetters: DeadLetterOutbox,
  ) {}

  async apply(batch: SourceBatch, views: FeatureViewVersion[]): Promise<SortedBatch> {
    const sorted = sortBatch(batch, views, new Date());
    if (sorted.deadLetters.length === 0) {
      // The common case stays one statement, which is its own transaction.
      await this.writer.write(sorted.rows);
    } else {
      await this.dataSource.transaction(async (manager) => {
        await this.writer.write(sorted.rows, manager);
        await this.deadLetters.record(manager, batch.topic, batch.partition, sorted.deadLetters);
      });
    }
    // Also what an earlier delivery recorded but could not publish.
    await this.deadLetters.publishPending(batch.topic, batch.partition);
    return sorted;
  }
}
