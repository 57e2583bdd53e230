import { IHeaders, Kafka, Partitioners, Producer, ProducerConfig } from 'kafkajs';
import { encodeEvent, PlatformEvent, TopicName } from '@mlops/contracts';
import { describeError } from './describe-error';
import type { MessagingLogger } from './messaging-logger';

export interface RawMessage {
  key: string | Buffer | null;
  value: Buffer | null;
  /** Values may repeat a key or carry bytes, as Kafka allows; dead letters pass a record's headers on as they were. */
  headers?: IHeaders;
}

/** CloudEvents Kafka binding, structured mode: the whole event is the value, this header says so. */
export const CLOUDEVENTS_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/cloudevents+json; charset=UTF-8',
};

// Idempotent with one request in flight: broker-side dedupe of retried sends without reordering a key's events.
const PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
};

interface ProducerSlot {
  producer: Producer;
  connected: Promise<void>;
}

export class EventPublisher {
  private slot: ProducerSlot | null = null;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly logger?: MessagingLogger,
  ) {}

  async connect(): Promise<void> {
    this.closed = false;
    await this.withProducer(() => Promise.resolve());
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    const slot = this.slot;
    this.slot = null;
    if (slot) await slot.producer.disconnect();
  }

  /** Validates the event against its topic's contract; the Kafka key is the event subject. */
  async publish<T extends TopicName>(topic: T, event: PlatformEvent<T>): Promise<void> {
    const value = encodeEvent(topic, event);
    await this.publishRaw(topic, [{ key: event.subject, value, headers: { ...CLOUDEVENTS_HEADERS } }]);
  }

  /** Resolves once every message is acknowledged by all in-sync replicas. */
  async publishRaw(topic: string, messages: RawMessage[]): Promise<void> {
    await this.withProducer((producer) => producer.send({ topic, acks: -1, messages }).then(() => undefined));
  }

  private async withProducer(use: (producer: Producer) => Promise<void>): Promise<void> {
    if (this.closed) throw new Error('EventPublisher is disconnected');
    const slot = this.currentSlot();
    try {
      await slot.connected;
      await use(slot.producer);
    } catch (error) {
      this.retire(slot, error);
      throw error;
    }
  }

  private currentSlot(): ProducerSlot {
    if (!this.slot) {
      const producer = this.kafka.producer(PRODUCER_CONFIG);
      this.slot = { producer, connected: producer.connect() };
    }
    return this.slot;
  }

  /**
   * kafkajs never resets an idempotent producer's id and sequence numbers, so once the broker disagrees with
   * them (UNKNOWN_PRODUCER_ID, OUT_OF_ORDER_SEQUENCE_NUMBER after it lost producer state) every send fails.
   * A failed producer is dropped and the next publish starts a fresh one with a new id; only the failed one
   * is replaced, as a newer producer may already be serving other publishes.
   */
  private retire(slot: ProducerSlot, error: unknown): void {
    if (this.slot !== slot) return;
    this.slot = null;
    this.logger?.warn('kafka producer failed; the next publish connects a new one', { error: describeError(error) });
    slot.producer.disconnect().catch(() => undefined);
  }
}
