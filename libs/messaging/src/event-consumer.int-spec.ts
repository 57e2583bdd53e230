import { DLQ_HEADERS, dlqTopic, encodeEvent, PlatformEvent } from '@mlops/contracts';
import { EventConsumer, EventConsumerOptions, EventHandler, RetryPolicy } from './event-consumer';
import { EventPublisher, RawMessage } from './event-publisher';
import { atLeast, localKafka, positionGroupAtEnd, TopicTap, uniqueName } from './integration-harness';
import { SAMPLE_TOPIC, SampleTopic, sampleEvent } from './sample-events';
import { TopicProvisioner } from './topic-provisioner';

const SERVICE = 'monitor';
const FAST_RETRY: RetryPolicy = { attempts: 4, initialBackoffMs: 10, maxBackoffMs: 40 };

/** Fails the first dead-letter publish, as a broker hiccup would. */
class DeadLetterHiccupPublisher extends EventPublisher {
  deadLetterAttempts = 0;

  override async publishRaw(topic: string, messages: RawMessage[]): Promise<void> {
    if (topic === dlqTopic(SERVICE) && this.deadLetterAttempts++ === 0) throw new Error('NOT_LEADER_OR_FOLLOWER');
    await super.publishRaw(topic, messages);
  }
}

describe('EventConsumer against the local broker', () => {
  const kafka = localKafka();
  const publisher = new EventPublisher(kafka);
  let consumers: EventConsumer[] = [];
  let deadLetters: TopicTap;

  beforeAll(async () => {
    await new TopicProvisioner(kafka).ensureTopics([SAMPLE_TOPIC]);
    await publisher.connect();
    deadLetters = await TopicTap.open(kafka, dlqTopic(SERVICE));
  });

  afterEach(async () => {
    for (const consumer of consumers) await consumer.stop();
    consumers = [];
  });

  afterAll(async () => {
    await deadLetters?.close();
    await publisher.disconnect();
  });

  /**
   * Other suites may use the same topics, and every consumer of a topic dead-letters its undecodable records:
   * each test looks only at its own model's events and at what its own consumer group dead-lettered.
   */
  const lettersOf = (groupId: string, model: string) =>
    deadLetters.withKey(model).filter((letter) => letter.headers[DLQ_HEADERS.consumer] === groupId);

  async function consume(
    model: string,
    handler: EventHandler<SampleTopic>,
    options: Partial<Pick<EventConsumerOptions, 'retry' | 'publisher' | 'wrap'>> = {},
  ): Promise<string> {
    const groupId = uniqueName('msg-test-');
    await positionGroupAtEnd(kafka, groupId, [SAMPLE_TOPIC]);
    const consumer = new EventConsumer(kafka, {
      service: SERVICE,
      groupId,
      publisher: options.publisher ?? publisher,
      retry: options.retry ?? FAST_RETRY,
      wrap: options.wrap,
    }).on(SAMPLE_TOPIC, async (event, meta) => {
      if (event.subject === model) await handler(event, meta);
    });
    consumers.push(consumer);
    await consumer.start();
    return groupId;
  }

  it('dead-letters unparseable and contract-violating records with their bytes and reason, then consumes on', async () => {
    const model = uniqueName('msgtest-');
    const consumed: PlatformEvent<SampleTopic>[] = [];
    const groupId = await consume(model, async (event) => void consumed.push(event));
    const notJson = Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x7b]);
    const valid = sampleEvent(model);
    const violating = Buffer.from(JSON.stringify({ ...valid, id: 'broken', data: { ...valid.data, verdict: 'maybe' } }));

    await publisher.publishRaw(SAMPLE_TOPIC, [
      { key: model, value: notJson, headers: { origin: 'int-spec' } },
      { key: model, value: violating },
    ]);
    await publisher.publish(SAMPLE_TOPIC, valid);

    await atLeast(1, () => consumed, 'the valid event to be consumed');
    const dead = await atLeast(2, () => lettersOf(groupId, model), 'two dead letters');
    expect(consumed.map((event) => event.id)).toEqual([valid.id]);
    expect(dead).toHaveLength(2);

    const [garbage, invalid] = dead;
    expect(garbage.value).toEqual(notJson);
    expect(garbage.headers[DLQ_HEADERS.error]).toMatch(/^not valid JSON/);
    expect(garbage.headers.origin).toBe('int-spec');
    expect(invalid.value).toEqual(violating);
    expect(invalid.headers[DLQ_HEADERS.error]).toMatch(/data\.verdict/);
    for (const letter of dead) {
      expect(letter.key?.toString()).toBe(model);
      expect(letter.headers[DLQ_HEADERS.stage]).toBe('decode');
      expect(letter.headers[DLQ_HEADERS.sourceTopic]).toBe(SAMPLE_TOPIC);
      expect(letter.headers[DLQ_HEADERS.consumer]).toBe(groupId);
      expect(letter.headers[DLQ_HEADERS.sourcePartition]).toMatch(/^[0-2]$/);
      expect(Number.isNaN(Date.parse(letter.headers[DLQ_HEADERS.failedAt]))).toBe(false);
    }
    expect(BigInt(invalid.headers[DLQ_HEADERS.sourceOffset])).toBe(BigInt(garbage.headers[DLQ_HEADERS.sourceOffset]) + 1n);
  });

  it('retries a transiently failing handler to success and dead-letters one that always fails (stage apply)', async () => {
    const model = uniqueName('msgtest-');
    const flaky = sampleEvent(model);
    const broken = sampleEvent(model);
    const calls = new Map<string, number>();
    const applied: string[] = [];
    const wrapped: string[] = [];
    const groupId = await consume(
      model,
      async (event) => {
        const call = (calls.get(event.id) ?? 0) + 1;
        calls.set(event.id, call);
        if (event.id === broken.id) throw new Error(`projection store unavailable (call ${call})`);
        if (call < 3) throw new Error('serialization failure');
        applied.push(event.id);
      },
      { wrap: (eventId, fn) => (wrapped.push(eventId), fn()) },
    );

    await publisher.publish(SAMPLE_TOPIC, flaky);
    await publisher.publish(SAMPLE_TOPIC, broken);

    // Same key, same partition: by the time the second event is dead-lettered the first one is settled.
    const [dead] = await atLeast(1, () => lettersOf(groupId, model), 'a dead letter');
    expect(applied).toEqual([flaky.id]);
    expect(calls.get(flaky.id)).toBe(3);
    expect(calls.get(broken.id)).toBe(FAST_RETRY.attempts);
    expect(lettersOf(groupId, model)).toHaveLength(1);
    expect(dead.value).toEqual(encodeEvent(SAMPLE_TOPIC, broken));
    expect(dead.headers[DLQ_HEADERS.stage]).toBe('apply');
    expect(dead.headers[DLQ_HEADERS.error]).toBe(`Error: projection store unavailable (call ${FAST_RETRY.attempts})`);
    expect(wrapped.filter((id) => id === flaky.id || id === broken.id)).toEqual([flaky.id, broken.id]);
  });

  it('does not commit a record whose dead-lettering failed: it is delivered again and nothing is lost', async () => {
    const model = uniqueName('msgtest-');
    const hiccup = new DeadLetterHiccupPublisher(kafka);
    await hiccup.connect();
    try {
      const consumed: string[] = [];
      const groupId = await consume(model, async (event) => void consumed.push(event.id), { publisher: hiccup });
      const after = sampleEvent(model);

      await publisher.publishRaw(SAMPLE_TOPIC, [{ key: model, value: Buffer.from('definitely not an event') }]);
      await publisher.publish(SAMPLE_TOPIC, after);

      await atLeast(1, () => consumed, 'the event after the bad record');
      const [dead] = await atLeast(1, () => lettersOf(groupId, model), 'the bad record in the dead-letter topic');
      expect(hiccup.deadLetterAttempts).toBe(2);
      expect(lettersOf(groupId, model)).toHaveLength(1);
      expect(dead.value?.toString()).toBe('definitely not an event');
      expect(consumed).toEqual([after.id]);
    } finally {
      await hiccup.disconnect();
    }
  });
});
