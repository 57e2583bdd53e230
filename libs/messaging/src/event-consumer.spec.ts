import type { ConsumerRunConfig, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, encodeEvent } from '@mlops/contracts';
import { DeadLetterPublishError } from './dead-letter';
import { EventConsumer, EventConsumerOptions } from './event-consumer';
import type { EventPublisher, RawMessage } from './event-publisher';
import { SAMPLE_TOPIC, sampleEvent } from './sample-events';

type CrashListener = (event: { payload: { error: Error; restart: boolean; groupId: string } }) => void;

class FakeConsumer {
  readonly events = { CRASH: 'consumer.crash' };
  readonly connect = jest.fn(async () => undefined);
  readonly subscribe = jest.fn(async (_subscription: unknown) => undefined);
  readonly disconnect = jest.fn(async () => undefined);
  eachMessage: ConsumerRunConfig['eachMessage'];
  runConfig: ConsumerRunConfig | undefined;
  private crashListener: CrashListener | undefined;

  on(_event: string, listener: CrashListener) {
    this.crashListener = listener;
    return () => undefined;
  }

  async run(config: ConsumerRunConfig) {
    this.runConfig = config;
    this.eachMessage = config.eachMessage;
  }

  crash(error: Error, restart: boolean) {
    this.crashListener?.({ payload: { error, restart, groupId: 'mlops-monitor' } });
  }
}

function setup(options: Partial<EventConsumerOptions> = {}) {
  const consumers: FakeConsumer[] = [];
  const kafka = {
    consumer: () => {
      consumers.push(new FakeConsumer());
      return consumers[consumers.length - 1];
    },
  } as unknown as Kafka;
  const published: { topic: string; messages: RawMessage[] }[] = [];
  const publishRaw = jest.fn(async (topic: string, messages: RawMessage[]) => void published.push({ topic, messages }));
  const publisher = { publishRaw } as unknown as EventPublisher;
  const consumer = new EventConsumer(kafka, {
    service: 'monitor',
    groupId: 'mlops-monitor',
    publisher,
    retry: { attempts: 3, initialBackoffMs: 0, maxBackoffMs: 0 },
    ...options,
  });
  return { consumer, consumers, published, publishRaw };
}

function record(value: Buffer | null, offset = '7'): { payload: EachMessagePayload; heartbeat: jest.Mock } {
  const heartbeat = jest.fn(async () => undefined);
  const message = { key: Buffer.from('churn'), value, offset, headers: {}, timestamp: '0', attributes: 0 };
  const pause = () => () => undefined;
  const payload = { topic: SAMPLE_TOPIC, partition: 1, message: message satisfies KafkaMessage, heartbeat, pause };
  return { payload, heartbeat };
}

describe('EventConsumer', () => {
  it('hands a valid event and its record coordinates to the handler, inside wrap', async () => {
    const wrapped: string[] = [];
    const { consumer, consumers, publishRaw } = setup({ wrap: (eventId, fn) => (wrapped.push(eventId), fn()) });
    const handler = jest.fn(async () => undefined);
    const event = sampleEvent('churn');
    await consumer.on(SAMPLE_TOPIC, handler).start();

    await consumers[0].eachMessage?.(record(encodeEvent(SAMPLE_TOPIC, event)).payload);

    expect(handler).toHaveBeenCalledWith(event, { topic: SAMPLE_TOPIC, partition: 1, offset: '7', key: 'churn' });
    expect(wrapped).toEqual([event.id]);
    expect(publishRaw).not.toHaveBeenCalled();
    expect(consumers[0].runConfig?.autoCommit).toBe(true);
    expect(consumers[0].subscribe).toHaveBeenCalledWith({ topics: [SAMPLE_TOPIC], fromBeginning: true });
  });

  it('dead-letters bytes that are not a valid event with the original key, value and the decode stage', async () => {
    const { consumer, consumers, published } = setup();
    const handler = jest.fn(async () => undefined);
    await consumer.on(SAMPLE_TOPIC, handler).start();
    const garbage = Buffer.from('{"specversion":');

    await consumers[0].eachMessage?.(record(garbage, '12').payload);

    expect(handler).not.toHaveBeenCalled();
    expect(published).toHaveLength(1);
    expect(published[0].topic).toBe('mlops.dlq.monitor');
    const [dead] = published[0].messages;
    expect(dead.key).toEqual(Buffer.from('churn'));
    expect(dead.value).toBe(garbage);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.stage]: 'decode',
      [DLQ_HEADERS.sourceTopic]: SAMPLE_TOPIC,
      [DLQ_HEADERS.sourcePartition]: '1',
      [DLQ_HEADERS.sourceOffset]: '12',
      [DLQ_HEADERS.consumer]: 'mlops-monitor',
    });
    expect(dead.headers?.[DLQ_HEADERS.error]).toMatch(/^not valid JSON/);
  });

  it('retries a failing handler, heartbeating between attempts, until it succeeds', async () => {
    const { consumer, consumers, publishRaw } = setup();
    const handler = jest
      .fn<Promise<void>, unknown[]>()
      .mockRejectedValueOnce(new Error('deadlock detected'))
      .mockRejectedValueOnce(new Error('deadlock detected'))
      .mockResolvedValueOnce(undefined);
    await consumer.on(SAMPLE_TOPIC, handler).start();
    const { payload, heartbeat } = record(encodeEvent(SAMPLE_TOPIC, sampleEvent('churn')));

    await consumers[0].eachMessage?.(payload);

    expect(handler).toHaveBeenCalledTimes(3);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    expect(publishRaw).not.toHaveBeenCalled();
  });

  it('dead-letters with the apply stage and the last error once the attempts are spent', async () => {
    const { consumer, consumers, published } = setup();
    let calls = 0;
    await consumer
      .on(SAMPLE_TOPIC, async () => {
        calls++;
        throw new TypeError(`cannot read version (call ${calls})`);
      })
      .start();

    await consumers[0].eachMessage?.(record(encodeEvent(SAMPLE_TOPIC, sampleEvent('churn'))).payload);

    expect(calls).toBe(3);
    expect(published[0].messages[0].headers).toMatchObject({
      [DLQ_HEADERS.stage]: 'apply',
      [DLQ_HEADERS.error]: 'TypeError: cannot read version (call 3)',
    });
  });

  it('fails the record, so it is not committed, when the dead-letter publish fails', async () => {
    const { consumer, consumers, publishRaw } = setup();
    publishRaw.mockRejectedValueOnce(new Error('Connection error: ECONNREFUSED'));
    await consumer.on(SAMPLE_TOPIC, async () => undefined).start();

    const attempt = consumers[0].eachMessage?.(record(Buffer.from('not json')).payload);

    await expect(attempt).rejects.toBeInstanceOf(DeadLetterPublishError);
    await expect(attempt).rejects.toMatchObject({ retriable: true });
  });

  describe('when kafkajs gives up on the group', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('starts a new consumer after a crash kafkajs will not restart', async () => {
      const { consumer, consumers } = setup({ retry: { attempts: 1, initialBackoffMs: 10, maxBackoffMs: 1000 } });
      await consumer.on(SAMPLE_TOPIC, async () => undefined).start();

      consumers[0].crash(new Error('GROUP_AUTHORIZATION_FAILED'), false);
      await jest.advanceTimersByTimeAsync(1000);

      expect(consumers).toHaveLength(2);
      expect(consumers[1].eachMessage).toBeDefined();
    });

    it('leaves restarts to kafkajs when it restarts by itself, and stays down once stopped', async () => {
      const { consumer, consumers } = setup();
      await consumer.on(SAMPLE_TOPIC, async () => undefined).start();

      consumers[0].crash(new Error('Connection timeout'), true);
      await jest.advanceTimersByTimeAsync(60_000);
      await consumer.stop();
      consumers[0].crash(new Error('GROUP_AUTHORIZATION_FAILED'), false);
      await jest.advanceTimersByTimeAsync(60_000);

      expect(consumers).toHaveLength(1);
      expect(consumers[0].disconnect).toHaveBeenCalled();
    });
  });

  it('runs every handler of a topic in registration order, all of them again on a retry', async () => {
    const { consumer, consumers, publishRaw } = setup();
    const calls: string[] = [];
    consumer.on(SAMPLE_TOPIC, async () => void calls.push('audit'));
    consumer.on(SAMPLE_TOPIC, async () => {
      calls.push('checks');
      if (calls.length === 2) throw new Error('transient');
    });
    await consumer.start();

    await consumers[0].eachMessage?.(record(encodeEvent(SAMPLE_TOPIC, sampleEvent('churn'))).payload);

    expect(calls).toEqual(['audit', 'checks', 'audit', 'checks']);
    expect(publishRaw).not.toHaveBeenCalled();
  });

  it('takes handlers only before start, each once, and needs at least one', async () => {
    const { consumer } = setup();
    await expect(consumer.start()).rejects.toThrow(/no handlers/);
    const handler = async () => undefined;
    consumer.on(SAMPLE_TOPIC, handler);
    expect(() => consumer.on(SAMPLE_TOPIC, handler)).toThrow(/already registered/);
    await consumer.start();
    expect(() => consumer.on('mlops.labels.observed', async () => undefined)).toThrow(/after start/);
  });

  it('refuses a retry policy without a single attempt', () => {
    expect(() => setup({ retry: { attempts: 0, initialBackoffMs: 1, maxBackoffMs: 1 } })).toThrow(/attempts/);
  });
});
