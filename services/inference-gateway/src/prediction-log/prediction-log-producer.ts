import { Producer, ProduceAcks, stringSerializer } from '@platformatic/kafka';
import { CLOUDEVENTS_HEADERS, KafkaConnectionConfig } from '@mlops/messaging';
import type { LogMessage } from './prediction-batch-publisher';

type LogProducer = Producer<string, Buffer, string, string>;

/**
 * The prediction log's Kafka producer, on the log worker thread only. It is @platformatic/kafka rather than the
 * kafkajs the rest of the platform uses because the log is the one stream sized by inference traffic: in 1,000-record
 * sends to the local broker, kafkajs took 26-32 µs of CPU per record (our event JSON included, about 9 of it by
 * profile) and this client 3.3 µs (values already encoded): CPU the request thread competes for on a small machine. Same guarantees as the platform's EventPublisher:
 * idempotent, acknowledged by all in-sync replicas, and a producer whose send failed is replaced, so a broker that
 * lost its producer state cannot wedge every later send on sequence numbers.
 */
export class PredictionLogProducer {
  private producer: LogProducer | null = null;
  private closed = false;

  constructor(private readonly kafka: KafkaConnectionConfig) {}

  /** Resolves once every message is acknowledged; messages of one key keep their order. */
  async publish(topic: string, messages: LogMessage[]): Promise<void> {
    if (this.closed) throw new Error('the prediction log producer is closed');
    const producer = this.current();
    try {
      await producer.send({ messages: messages.map(({ key, value }) => ({ topic, key, value, headers: CLOUDEVENTS_HEADERS })) });
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

  private current(): LogProducer {
    this.producer ??= new Producer({
      clientId: `${this.kafka.clientId}-predictions`,
      bootstrapBrokers: this.kafka.brokers,
      idempotent: true,
      acks: ProduceAcks.ALL,
      // Its defaults retry an unreachable broker for good; a batch must come back failed, so the buffer keeps moving.
      retries: 3,
      retryDelay: 500,
      timeout: 5000,
      serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
    });
    return this.producer;
  }
}
