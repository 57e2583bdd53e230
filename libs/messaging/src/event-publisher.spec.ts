import type { Kafka, ProducerConfig } from 'kafkajs';
import { ContractViolation, encodeEvent } from '@mlops/contracts';
import { EventPublisher } from './event-publisher';
import { SAMPLE_TOPIC, sampleEvent } from './sample-events';

class FakeProducer {
  readonly connect = jest.fn(async () => undefined);
  readonly send = jest.fn(async (_record: unknown) => []);
  readonly disconnect = jest.fn(async () => undefined);
}

function fakeKafka(prepare: (producer: FakeProducer, index: number) => void = () => undefined) {
  const producers: FakeProducer[] = [];
  const configs: ProducerConfig[] = [];
  const kafka = {
    producer: (config: ProducerConfig) => {
      const producer = new FakeProducer();
      prepare(producer, producers.length);
      configs.push(config);
      producers.push(producer);
      return producer;
    },
  } as unknown as Kafka;
  return { kafka, producers, configs };
}

describe('EventPublisher', () => {
  it('sends a validated event keyed by its subject, idempotently, acknowledged by all replicas', async () => {
    const { kafka, producers, configs } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    const event = sampleEvent('churn');

    await publisher.publish(SAMPLE_TOPIC, event);

    expect(configs).toEqual([expect.objectContaining({ idempotent: true, maxInFlightRequests: 1 })]);
    expect(producers[0].send).toHaveBeenCalledWith({
      topic: SAMPLE_TOPIC,
      acks: -1,
      messages: [
        {
          key: 'churn',
          value: encodeEvent(SAMPLE_TOPIC, event),
          headers: { 'content-type': 'application/cloudevents+json; charset=UTF-8' },
        },
      ],
    });
  });

  it('refuses an event that breaks its contract without sending anything', async () => {
    const { kafka, producers } = fakeKafka();
    const event = { ...sampleEvent('churn'), type: 'mlops.monitor.rollout-verdict.v9' };

    await expect(new EventPublisher(kafka).publish(SAMPLE_TOPIC, event)).rejects.toBeInstanceOf(ContractViolation);
    expect(producers).toHaveLength(0);
  });

  it('replaces a producer whose send failed, so the next publish goes through a fresh connection', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    producers[0].send.mockRejectedValueOnce(new Error('Connection error: ECONNREFUSED'));

    await expect(publisher.publishRaw('mlops.dlq.trainer', [{ key: null, value: Buffer.from('x') }])).rejects.toThrow(
      'ECONNREFUSED',
    );
    await publisher.publishRaw('mlops.dlq.trainer', [{ key: null, value: Buffer.from('y') }]);

    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    expect(producers[1].send).toHaveBeenCalledTimes(1);
  });

  it('tries a new producer after a failed connect', async () => {
    const { kafka, producers } = fakeKafka((producer, index) => {
      if (index === 0) producer.connect.mockRejectedValue(new Error('broker down'));
    });
    const publisher = new EventPublisher(kafka);

    await expect(publisher.connect()).rejects.toThrow('broker down');
    await publisher.connect();

    expect(producers).toHaveLength(2);
    expect(producers[1].connect).toHaveBeenCalled();
  });

  it('refuses to publish once disconnected', async () => {
    const { kafka, producers } = fakeKafka();
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    await publisher.disconnect();

    expect(producers[0].disconnect).toHaveBeenCalled();
    await expect(publisher.publish(SAMPLE_TOPIC, sampleEvent('churn'))).rejects.toThrow('disconnected');
  });
});
