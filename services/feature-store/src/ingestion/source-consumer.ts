import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { heartbeatDuring, reportAssignment, sessionConfig } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';
import { FeatureCatalog } from '../definitions/feature-catalog';
import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { SourceTopics } from '../definitions/source-topics';
import { IngestionMetrics } from './ingestion-metrics';
import { IngestBatch } from './ingest-batch.use-case';

const MISSING_TOPIC_RETRY_MS = 10_000;

/**
 * Consumes the source topics of the newest feature-view versions: plain JSON from any producer, not platform
 * events, so it is its own kafkajs consumer group rather than the CloudEvents consumer. When the set of
 * topics changes (a view applied here or on another replica) the consumer is replaced by one subscribed to
 * the new set; committed offsets carry over, so nothing is read twice beyond the last uncommitted batch.
 */
@Injectable()
export class SourceConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private consumer: Consumer | null = null;
  /** The views' topics, and those of them consumed (the ones the broker has). */
  private wanted = '';
  private topics = '';
  private missing = '';
  private views = new Map<string, FeatureViewVersion[]>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;
  private missingRetry: NodeJS.Timeout | null = null;
  private readonly logger: JsonLogger;

  constructor(
    private readonly runtime: PlatformRuntime,
    private readonly catalog: FeatureCatalog,
    private readonly sourceTopics: SourceTopics,
    private readonly ingest: IngestBatch,
    private readonly metrics: IngestionMetrics,
    @Inject(FEATURE_STORE_CONFIG) private readonly config: FeatureStoreConfig,
    logger: JsonLogger,
  ) {
    this.logger = logger.child('SourceConsumer');
  }

  onApplicationBootstrap(): void {
    this.catalog.onChange(() => this.reconcile());
    void this.loadWhenStarted();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.missingRetry) clearTimeout(this.missingRetry);
    await this.reconciling;
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** Resolves once the consumer is subscribed to every view's topic as of the last catalog load. */
  settled(): Promise<void> {
    return this.reconciling;
  }

  private async loadWhenStarted(): Promise<void> {
    while (!this.stopped) {
      if (this.runtime.isStarted()) {
        try {
          await this.catalog.refresh();
          return;
        } catch (err) {
          this.logger.warn(`feature views could not be loaded yet: ${(err as Error).message}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** `force`: look at the broker again although the views' topics did not change (some of them were missing). */
  private reconcile(force = false): void {
    const latest = this.catalog.latest();
    const byTopic = new Map<string, FeatureViewVersion[]>();
    for (const view of latest) byTopic.set(view.definition.source.topic, [...(byTopic.get(view.definition.source.topic) ?? []), view]);
    // Definitions are swapped in at once: a new version of a view on an already consumed topic needs no restart.
    this.views = byTopic;
    const wanted = [...byTopic.keys()].sort();
    if (!force && wanted.join(',') === this.wanted) return;
    this.wanted = wanted.join(',');
    this.reconciling = this.reconciling.then(() => this.consumeExisting(wanted)).catch((err: Error) => {
      this.wanted = '';
      this.topics = '';
      this.logger.error(`source consumer could not start: ${err.message}`, err.stack);
      setTimeout(() => this.reconcile(), 2000);
    });
  }

  /**
   * Subscribes to the views' topics the broker has: subscribing to one it lacks fails the whole subscription, so a
   * single deleted topic would stop every view's ingestion. The missing ones are named and looked for again.
   */
  private async consumeExisting(wanted: string[]): Promise<void> {
    const topics = await this.sourceTopics.existing(wanted);
    const missing = wanted.filter((t) => !topics.includes(t));
    if (missing.join(',') !== this.missing) {
      this.missing = missing.join(',');
      if (missing.length > 0) this.logger.warn(`${missing.length} feature views' source topics do not exist, not consumed until they do: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}`);
    }
    if (missing.length > 0 && !this.missingRetry) {
      this.missingRetry = setTimeout(() => {
        this.missingRetry = null;
        this.reconcile(true);
      }, MISSING_TOPIC_RETRY_MS);
    }
    if (topics.join(',') === this.topics) return;
    this.topics = topics.join(',');
    await this.restart(topics);
  }

  private async restart(topics: string[]): Promise<void> {
    if (this.consumer) {
      await this.consumer.disconnect();
      this.consumer = null;
    }
    if (this.stopped || topics.length === 0) return;
    // Fewer, larger batches: each costs one statement and one commit whatever its size. A steady trickle waits
    // at most maxWaitTimeInMs for minBytes to gather; a backlog fills batches at once.
    const consumer = this.runtime.kafka.consumer({
      groupId: this.config.sourceGroupId,
      minBytes: 64 * 1024,
      maxWaitTimeInMs: 100,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      ...sessionConfig(this.runtime.config.consumerSession),
    });
    this.consumer = consumer;
    reportAssignment(consumer, (partitions) => this.runtime.consumption.assigned?.(this.config.sourceGroupId, partitions));
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    // Three batches at a time: each holds a pooled connection, and the pool also serves reads and dataset builds.
    await consumer.run({ partitionsConsumedConcurrently: 3, eachBatch: (payload) => this.consumeBatch(payload) });
    this.logger.log(`consuming feature sources: ${topics.join(', ')}`);
  }

  private async consumeBatch({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const views = this.views.get(batch.topic) ?? [];
    const { accepted, deadLetters } = await heartbeatDuring(
      () => this.ingest.apply({ topic: batch.topic, partition: batch.partition, groupId: this.config.sourceGroupId, messages: batch.messages }, views),
      heartbeat,
      this.runtime.config.consumerSession,
    );
    await heartbeat();
    const last = batch.messages[batch.messages.length - 1];
    const now = Date.now();
    for (const letter of deadLetters) this.metrics.rejected.inc({ view: letter.view });
    for (const view of views) {
      this.metrics.written.inc({ view: view.name }, accepted.get(view.name) ?? 0);
      this.metrics.recordLag(view.name, String(batch.partition), Number(batch.offsetLag()));
      if (last) this.metrics.lagSeconds.set({ view: view.name }, Math.max(0, (now - Number(last.timestamp)) / 1000));
    }
  }
}
