import { Consumer, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { decodeEvent, dlqTopic, PlatformEvent, ServiceName, TopicName } from '@mlops/contracts';
import { backoffDelay, BackoffPolicy, sleep } from './backoff';
import { DeadLetterPublishError, deadLetterHeaders, DeadLetterSource, DeadLetterStage } from './dead-letter';
import { describeError } from './describe-error';
import type { EventPublisher } from './event-publisher';
import { ConsumerSession, heartbeatDuring, reportAssignment, sessionConfig } from './group-membership';
import type { MessagingLogger } from './messaging-logger';

export interface ConsumedMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
}

export type EventHandler<T extends TopicName> = (event: PlatformEvent<T>, meta: ConsumedMeta) => Promise<void>;

export interface RetryPolicy extends BackoffPolicy {
  /** Handler calls in total, the first one included, before the record is dead-lettered. */
  attempts: number;
}

export interface EventConsumerOptions {
  service: ServiceName;
  groupId: string;
  /** Carries dead-lettered records to `mlops.dlq.<service>`. */
  publisher: EventPublisher;
  logger?: MessagingLogger;
  retry?: RetryPolicy;
  /** Where a group with no committed offset starts; default true, so a new service sees the history. */
  fromBeginning?: boolean;
  /** Runs around everything done for one event (handler attempts, dead-lettering), e.g. to set log context. */
  wrap?: (eventId: string, fn: () => Promise<void>) => Promise<void>;
  observer?: ConsumptionObserver;
  /** Partitions handled at once; order is kept within each partition, hence within each model. Default 4. */
  partitionsConsumedConcurrently?: number;
  /** The member's session with its group; the client's default (30 s) when absent. */
  session?: ConsumerSession;
}

/** Hooks for the service's metrics; the library itself stays free of any metrics client. */
export interface ConsumptionObserver {
  handled(topic: string): void;
  retried(topic: string): void;
  deadLettered(topic: string, stage: DeadLetterStage): void;
  /** Partitions this member of the group holds, on each change. */
  assigned?(groupId: string, partitions: number): void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialBackoffMs: 200, maxBackoffMs: 5000 };

type StoredHandler = (event: PlatformEvent<TopicName>, meta: ConsumedMeta) => Promise<void>;

/**
 * One consumer group over the topics it has handlers for. Every record ends either handled or dead-lettered
 * before its offset is committed; a record that could not even be dead-lettered is delivered again.
 * A topic may have several handlers (one service, several use cases reacting to it): they run in the order they
 * were registered, and a retry runs them all again, so each must be idempotent, as every handler must anyway.
 */
export class EventConsumer {
  private readonly handlers = new Map<TopicName, StoredHandler[]>();
  private readonly retry: RetryPolicy;
  private consumer: Consumer | null = null;
  private recovery: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: EventConsumerOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    if (!Number.isInteger(this.retry.attempts) || this.retry.attempts < 1) {
      throw new Error(`retry.attempts must be a positive integer, got ${this.retry.attempts}`);
    }
  }

  private get logger(): MessagingLogger | undefined {
    return this.options.logger;
  }

  on<T extends TopicName>(topic: T, handler: EventHandler<T>): this {
    if (this.consumer) throw new Error(`cannot register a handler for ${topic} after start()`);
    const handlers = this.handlers.get(topic) ?? [];
    if (handlers.includes(handler as StoredHandler)) throw new Error(`this handler for ${topic} is already registered`);
    this.handlers.set(topic, [...handlers, handler as StoredHandler]);
    return this;
  }

  /** The topics this consumer has handlers for. */
  topics(): TopicName[] {
    return [...this.handlers.keys()];
  }

  /** Rejects when Kafka cannot be reached; it may be called again after a failure. */
  async start(): Promise<void> {
    if (this.handlers.size === 0) throw new Error('EventConsumer has no handlers: register them with on() first');
    if (this.consumer) return;
    this.stopping = false;
    await this.run();
  }

  /** Waits for the record in hand to finish, commits what was handled and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.recovery) clearTimeout(this.recovery);
    this.recovery = null;
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.disconnect();
  }

  private async run(): Promise<void> {
    const { groupId, observer } = this.options;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, ...sessionConfig(this.options.session) });
    this.consumer = consumer;
    if (observer?.assigned) reportAssignment(consumer, (partitions) => observer.assigned?.(groupId, partitions));
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    try {
      await consumer.connect();
      const fromBeginning = this.options.fromBeginning ?? true;
      await consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning });
      // kafkajs resolves an offset only after eachMessage returns, and auto-commit sends only resolved offsets;
      // eachMessage returns only once the record is handled or dead-lettered, so nothing unfinished is committed.
      await consumer.run({
        autoCommit: true,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 4,
        eachMessage: (payload) => this.consume(payload),
      });
    } catch (error) {
      if (this.consumer === consumer) this.consumer = null;
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  /**
   * kafkajs restarts itself after retriable failures but leaves the group for good after any other, which
   * would silently stop this service consuming; a fresh consumer resumes from the committed offsets.
   */
  private onCrash(consumer: Consumer, error: Error, restart: boolean): void {
    if (restart || this.stopping || this.consumer !== consumer) return;
    this.consumer = null;
    this.logger?.error(`consumer group ${this.options.groupId} crashed; starting a new consumer`, {
      error: describeError(error),
    });
    this.scheduleRecovery();
  }

  private scheduleRecovery(): void {
    this.recovery = setTimeout(() => {
      this.recovery = null;
      if (this.stopping) return;
      this.run().catch((error) => {
        this.logger?.error(`consumer group ${this.options.groupId} could not restart`, { error: describeError(error) });
        if (!this.stopping) this.scheduleRecovery();
      });
    }, this.retry.maxBackoffMs);
  }

  private async consume({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<void> {
    const meta: ConsumedMeta = { topic, partition, offset: message.offset, key: message.key?.toString('utf8') ?? null };
    const decoded = decodeEvent(topic as TopicName, message.value);
    if (!decoded.ok) {
      await this.deadLetter(message, meta, 'decode', decoded.error);
      return;
    }
    const event = decoded.event;
    const apply = () => this.applyWithRetry(event, meta, message, heartbeat);
    await (this.options.wrap ? this.options.wrap(event.id, apply) : apply());
  }

  private async applyWithRetry(
    event: PlatformEvent<TopicName>,
    meta: ConsumedMeta,
    message: KafkaMessage,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    const handlers = this.handlers.get(meta.topic as TopicName) as StoredHandler[];
    for (let attempt = 1; ; attempt++) {
      try {
        await heartbeatDuring(async () => {
          for (const handler of handlers) await handler(event, meta);
        }, heartbeat, this.options.session);
        this.options.observer?.handled(meta.topic);
        return;
      } catch (error) {
        if (attempt >= this.retry.attempts) {
          await this.deadLetter(message, meta, 'apply', describeError(error));
          return;
        }
        this.options.observer?.retried(meta.topic);
        this.logger?.warn(`handler for ${meta.topic} failed on event ${event.id} (attempt ${attempt}); retrying`, {
          error: describeError(error),
        });
      }
      await sleep(backoffDelay(attempt, this.retry));
      // Keeps the group membership alive through long backoffs; during a rebalance this throws, the record
      // stays uncommitted and whoever owns the partition next handles it.
      await heartbeat();
    }
  }

  private async deadLetter(message: KafkaMessage, meta: ConsumedMeta, stage: DeadLetterStage, reason: string) {
    const { partition, offset } = meta;
    const source: DeadLetterSource = { topic: meta.topic, partition, offset, groupId: this.options.groupId };
    const topic = dlqTopic(this.options.service);
    try {
      await this.options.publisher.publishRaw(topic, [
        { key: message.key, value: message.value, headers: deadLetterHeaders(reason, stage, source, new Date(), message.headers) },
      ]);
    } catch (error) {
      const failure = new DeadLetterPublishError(source, error);
      this.logger?.error(`${failure.message}; the record will be delivered again`);
      throw failure;
    }
    this.options.observer?.deadLettered(meta.topic, stage);
    const record = `${meta.topic}[${meta.partition}]@${meta.offset}`;
    this.logger?.warn(`${record} dead-lettered to ${topic} (${stage}): ${reason}`);
  }
}
