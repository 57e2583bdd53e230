import { defaultPartitioner, MessageToProduce, Producer, ProduceAcks } from '@platformatic/kafka';
import { CLOUDEVENTS_HEADERS, KafkaConnectionConfig, platformaticSasl } from '@mlops/messaging';
import type { LogMessage } from './prediction-batch-publisher';

type LogProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

const HEADERS = new Map(Object.entries(CLOUDEVENTS_HEADERS).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]));

/** A model's key as bytes and the partition the client's default partitioner gives it. */
interface KeyPlacement {
  key: Buffer;
  partition: number;
}

/**
 * The prediction log's Kafka producer, on the log worker thread only. It is @platformatic/kafka rather than the
 * kafkajs the rest of the platform uses because the log is the one stream sized by inference traffic: in 1,000-record
 * sends to the local broker, kafkajs took 26-32 µs of CPU per record (our event JSON included, about 9 of it by
 * profile) and this client 3.3 µs (values already encoded): CPU the request thread competes for on a small machine. Same guarantees as the platform's EventPublisher:
 * idempotent, acknowledged by all in-sync replicas, and a producer whose send failed is replaced, so a broker that
 * lost its producer state cannot wedge every later send on sequence numbers. Keys, their partitions and the header
 * go to the client as bytes worked out once, not per record: its serializers and partitioner ran for every record
 * (about 3.5 µs of the ~10 per record it took in 700-record sends).
 */
export class PredictionLogProducer {
  private producer: LogProducer | null = null;
  private closed = false;
  private readonly placements = new Map<string, KeyPlacement>();

  constructor(private readonly kafka: KafkaConnectionConfig) {}

  /** Resolves once every message is acknowledged; messages of one key keep their order. */
  async publish(topic: string, messages: LogMessage[]): Promise<void> {
    if (this.closed) throw new Error('the prediction log producer is closed');
    const producer = this.current();
    try {
      await producer.send({ messages: messages.map((message) => this.toProduce(topic, message)) });
    } catch (err) {
      if (this.producer === producer) this.producer = null;
      producer.close(true, () => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.producer?.close();
    this.producer = null;
  }

  /** Fields named one by one, not the placement spread in: such a spread was the costliest line of the HTTP infer path. */
  private toProduce(topic: string, { key, value }: LogMessage): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
    const placement = this.placement(key);
    return { topic, key: placement.key, partition: placement.partition, value, headers: HEADERS };
  }

  private placement(key: string): KeyPlacement {
    let placement = this.placements.get(key);
    if (!placement) {
      const bytes = Buffer.from(key);
      // The client reduces the partition modulo the topic's partition count, as its own partitioner's result.
      placement = { key: bytes, partition: defaultPartitioner({ topic: '', value: bytes }, bytes) };
      this.placements.set(key, placement);
    }
    return placement;
  }

  private current(): LogProducer {
    this.producer ??= new Producer({
      clientId: `${this.kafka.clientId}-predictions`,
      bootstrapBrokers: this.kafka.brokers,
      sasl: platformaticSasl(this.kafka.sasl),
      idempotent: true,
      acks: ProduceAcks.ALL,
      // Its defaults retry an unreachable broker for good; a batch must come back failed, so the buffer keeps moving.
      retries: 3,
      retryDelay: 500,
      timeout: 5000,
    });
    return this.producer;
  }
}
