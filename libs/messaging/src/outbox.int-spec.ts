import { decodeEvent, PlatformEvent } from '@mlops/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { applyOnce } from './apply-once';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import {
  atLeast,
  eventually,
  infra,
  localKafka,
  openTestSchema,
  positionGroupAtEnd,
  TopicTap,
  uniqueName,
} from './integration-harness';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { SAMPLE_TOPIC, SampleTopic, sampleEvent } from './sample-events';
import { TopicProvisioner } from './topic-provisioner';

describe('transactional outbox against the local broker and database', () => {
  const kafka = localKafka();
  let db: Awaited<ReturnType<typeof openTestSchema>>;
  let dataSource: DataSource;
  let writer: OutboxWriter;
  let widgets: string;

  beforeAll(async () => {
    await new TopicProvisioner(kafka).ensureTopics([SAMPLE_TOPIC]);
    db = await openTestSchema();
    dataSource = db.dataSource;
    writer = new OutboxWriter(db.schema);
    widgets = `"${db.schema}".widgets`;
    await dataSource.query(`CREATE TABLE ${widgets} (name text PRIMARY KEY, state text NOT NULL)`);
    await dataSource.query(`CREATE TABLE "${db.schema}".effects (event_id text NOT NULL)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  /** The state change and its event, committed together as a service would. */
  function changeWidget(name: string, state: string, event: PlatformEvent<SampleTopic>): Promise<void> {
    return dataSource.transaction(async (manager: EntityManager) => {
      await manager.query(`INSERT INTO ${widgets} (name, state) VALUES ($1, $2)`, [name, state]);
      await writer.enqueue(manager, SAMPLE_TOPIC, event);
    });
  }

  const outboxRows = (eventId: string): Promise<{ published: boolean; attempts: number; last_error: string | null }[]> =>
    dataSource.query(
      `SELECT published_at IS NOT NULL AS published, attempts, last_error FROM "${db.schema}".outbox WHERE event_id = $1`,
      [eventId],
    );

  it('rolls the event back with the state change it belongs to', async () => {
    const event = sampleEvent(uniqueName('msgtest-'));
    const failed = dataSource.transaction(async (manager) => {
      await writer.enqueue(manager, SAMPLE_TOPIC, event);
      await manager.query(`INSERT INTO ${widgets} (name, state) VALUES (NULL, 'x')`);
    });
    await expect(failed).rejects.toThrow(/null value/);
    expect(await outboxRows(event.id)).toEqual([]);
  });

  it('publishes pending events in enqueue order under their keys and marks them published', async () => {
    const model = uniqueName('msgtest-');
    const events = [sampleEvent(model), sampleEvent(model), sampleEvent(model)];
    const publisher = new EventPublisher(kafka);
    const relay = new OutboxRelay(dataSource, db.schema, publisher, { batchSize: 2 });
    const tap = await TopicTap.open(kafka, SAMPLE_TOPIC);
    try {
      await dataSource.transaction(async (manager) => {
        for (const event of events) await writer.enqueue(manager, SAMPLE_TOPIC, event);
      });
      expect(await relay.pending()).toBe(3);

      expect(await relay.drainOnce()).toBe(3);

      expect(await relay.pending()).toBe(0);
      const received = await atLeast(3, () => tap.withKey(model), 'three events');
      const ids = received.map((record) => {
        const decoded = decodeEvent(SAMPLE_TOPIC, record.value);
        if (!decoded.ok) throw new Error(decoded.error);
        return decoded.event.id;
      });
      expect(ids).toEqual(events.map((event) => event.id));
      expect(received[0].headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
      expect(await outboxRows(events[0].id)).toEqual([{ published: true, attempts: 1, last_error: null }]);
    } finally {
      await tap.close();
      await publisher.disconnect();
    }
  });

  describe('while the broker is down', () => {
    let kafkaStopped = false;

    afterAll(async () => {
      // Other suites share this broker: it must be back even if the test timed out while it was down.
      if (kafkaStopped) await infra('restart-kafka');
    });

    it('keeps the event pending, then delivers it once the broker is back, applied once', async () => {
      const model = uniqueName('msgtest-');
      const groupId = uniqueName('msg-test-');
      const publisher = new EventPublisher(kafka);
      const relay = new OutboxRelay(dataSource, db.schema, publisher, { pollIntervalMs: 200, maxBackoffMs: 2000 });
      const applied: boolean[] = [];
      const consumer = new EventConsumer(kafka, { service: 'monitor', groupId, publisher });
      consumer.on(SAMPLE_TOPIC, async (event) => {
        if (event.subject !== model) return;
        applied.push(
          await applyOnce(dataSource, db.schema, groupId, event.id, (manager) =>
            manager.query(`INSERT INTO "${db.schema}".effects (event_id) VALUES ($1)`, [event.id]).then(() => undefined),
          ),
        );
      });
      await positionGroupAtEnd(kafka, groupId, [SAMPLE_TOPIC]);
      await publisher.connect();
      await consumer.start();
      const event = sampleEvent(model);
      try {
        kafkaStopped = true;
        await infra('stop-kafka');

        await changeWidget(model, 'promoted', event);
        await expect(relay.drainOnce()).rejects.toThrow();
        expect(await relay.pending()).toBe(1);
        const [pendingRow] = await outboxRows(event.id);
        expect(pendingRow.published).toBe(false);
        expect(pendingRow.attempts).toBe(1);
        expect(pendingRow.last_error).toEqual(expect.any(String));

        relay.start();
        await infra('restart-kafka');
        kafkaStopped = false;

        await eventually(async () => ((await relay.pending()) === 0 ? true : undefined), 'the relay to publish', 120_000);
        await atLeast(1, () => applied, 'the event to be consumed', 120_000);
        // A relay that crashed after publishing but before marking the row would send the event again.
        await publisher.publish(SAMPLE_TOPIC, event);
        await atLeast(2, () => applied, 'the republished event to be consumed');

        expect(applied).toEqual([true, false]);
        const [{ count }] = await dataSource.query(
          `SELECT count(*)::int AS count FROM "${db.schema}".effects WHERE event_id = $1`,
          [event.id],
        );
        expect(count).toBe(1);
        const widget = await dataSource.query(`SELECT state FROM ${widgets} WHERE name = $1`, [model]);
        expect(widget).toEqual([{ state: 'promoted' }]);
      } finally {
        // Before the clients stop: kafkajs may wait for a broker to leave the group cleanly.
        if (kafkaStopped) await infra('restart-kafka');
        kafkaStopped = false;
        await relay.stop();
        await consumer.stop();
        await publisher.disconnect();
      }
    }, 240_000);
  });
});
