import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { Kafka } from 'kafkajs';
import type { PlatformConfig } from '@mlops/config';
import { JsonLogger, logContext, ReadinessProbe } from '@mlops/observability';
import {
  createKafka,
  EventConsumer,
  EventPublisher,
  MessagingJanitor,
  OutboxRelay,
  OutboxWriter,
  TopicProvisioner,
} from '@mlops/messaging';
import { topicsProducedBy } from '@mlops/contracts';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { KafkaReadinessProbe } from './kafka-readiness-probe';
import { registerConsumerLagGauge } from './consumer-lag-gauge';
import { ConsumptionMetrics, consumptionMetrics, registerDependencyGauge, registerOutboxGauge } from './platform-metrics';
import { retryUntil } from './retry-until';
import { createServiceDataSource, MigrationClass, runMigrationsExclusively } from './service-database';

/**
 * The connections every service holds (Postgres, MinIO, Kafka) and the order they come up in. Nest providers
 * hand these same instances to use cases and repositories.
 */
export class PlatformRuntime {
  readonly dataSource: DataSource;
  readonly objectStore: ObjectStore;
  readonly kafka: Kafka;
  readonly publisher: EventPublisher;
  readonly consumer: EventConsumer;
  readonly outbox: OutboxWriter;
  readonly relay: OutboxRelay;
  /** Metrics of consumption, for every consumer group of the service (the runtime's own and any it creates). */
  readonly consumption: ConsumptionMetrics;
  private readonly kafkaProbe: KafkaReadinessProbe;
  private readonly janitor: MessagingJanitor;
  private janitorTimer: NodeJS.Timeout | null = null;
  private started = false;
  private consumesEvents = false;
  private stopping = false;

  constructor(
    readonly config: PlatformConfig,
    readonly logger: JsonLogger,
    readonly metrics: Registry,
    migrations: MigrationClass[],
  ) {
    const schema = config.postgres.schema;
    const groupId = `mlops-${config.service}`;
    this.dataSource = createServiceDataSource(config, migrations);
    this.objectStore = new ObjectStore(config.s3);
    this.kafka = createKafka(config.kafka, logger.child('kafkajs'));
    this.publisher = new EventPublisher(this.kafka, logger.child('EventPublisher'));
    this.consumption = consumptionMetrics(config.service, metrics);
    this.consumer = new EventConsumer(this.kafka, {
      service: config.service,
      groupId,
      publisher: this.publisher,
      logger: logger.child('EventConsumer'),
      fromBeginning: true,
      wrap: (eventId, fn) => logContext.run({ eventId }, fn),
      observer: this.consumption,
      session: config.consumerSession,
    });
    this.outbox = new OutboxWriter(schema);
    this.relay = new OutboxRelay(this.dataSource, schema, this.publisher, { logger: logger.child('OutboxRelay') });
    this.janitor = new MessagingJanitor(this.dataSource, schema, config.messagingRetention);
    this.kafkaProbe = new KafkaReadinessProbe(this.kafka);
    registerOutboxGauge(config.service, metrics, this.relay, () => this.dataSource.isInitialized && this.started);
    registerDependencyGauge(config.service, metrics, this.probes());
    registerConsumerLagGauge(config.service, metrics, {
      kafka: this.kafka,
      groupId,
      topics: () => (this.consumesEvents ? this.consumer.topics() : []),
      isUp: () => this.started,
    });
  }

  isStarted(): boolean {
    return this.started;
  }

  probes(): ReadinessProbe[] {
    return [
      { name: 'postgres', check: async () => void (await this.queryDatabase('SELECT 1')) },
      { name: 's3', check: () => this.objectStore.ping() },
      this.kafkaProbe,
    ];
  }

  /** `consume` is false for services with no subscriptions yet: joining a group would commit nothing useful. */
  async start(options: { consume: boolean }): Promise<void> {
    const retry = { initialDelayMs: 500, maxDelayMs: 5000, isCancelled: () => this.stopping };
    const log = this.logger.child('PlatformRuntime');
    await retryUntil('postgres', () => this.migrate(), log, retry);
    await retryUntil('s3', () => this.objectStore.requireBuckets(Object.values(BUCKETS)), log, retry);
    await retryUntil('kafka', () => this.joinKafka(), log, retry);
    this.relay.start();
    this.consumesEvents = options.consume;
    if (options.consume) {
      await retryUntil('kafka consumer', () => this.consumer.start(), log, retry);
      this.consumption.subscribed(this.consumer.topics());
    }
    this.started = true;
    this.scheduleMessagingPrune();
    log.log('started: migrations applied, buckets present, topics provisioned, outbox relay running');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.started = false;
    if (this.janitorTimer) clearInterval(this.janitorTimer);
    await this.consumer.stop().catch(() => undefined);
    await this.relay.stop().catch(() => undefined);
    await this.publisher.disconnect().catch(() => undefined);
    await this.kafkaProbe.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  /** Retention is counted in hours, so an hourly pass (and one at start) keeps the tables near their bound. */
  private scheduleMessagingPrune(): void {
    const log = this.logger.child('MessagingJanitor');
    const prune = () =>
      this.janitor
        .pruneOnce()
        .then((pruned) => {
          if (pruned.outbox + pruned.processedEvents > 0) log.log(`pruned ${pruned.outbox} outbox row(s), ${pruned.processedEvents} dedupe record(s)`);
        })
        .catch((err: Error) => log.warn(`pruning the messaging tables failed, retrying in an hour: ${err.message}`));
    void prune();
    this.janitorTimer = setInterval(() => void prune(), 3600_000);
    this.janitorTimer.unref();
  }

  private async migrate(): Promise<void> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    const applied = await runMigrationsExclusively(this.dataSource, this.config.postgres.schema);
    this.logger.log(`schema "${this.config.postgres.schema}": ${applied} migration(s) applied`, 'PlatformRuntime');
  }

  private async joinKafka(): Promise<void> {
    await new TopicProvisioner(this.kafka).ensureTopics(topicsProducedBy(this.config.service), [this.config.service]);
    await this.publisher.connect();
  }

  private async queryDatabase(sql: string): Promise<unknown> {
    if (!this.dataSource.isInitialized) throw new Error('not connected yet');
    return this.dataSource.query(sql);
  }
}
