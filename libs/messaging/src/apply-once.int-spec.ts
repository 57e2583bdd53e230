import { DataSource, EntityManager } from 'typeorm';
import { applyOnce } from './apply-once';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { atLeast, eventually, localKafka, openTestSchema, positionGroupAtEnd, uniqueName } from './integration-harness';
import { SAMPLE_TOPIC, sampleEvent } from './sample-events';
import { TopicProvisioner } from './topic-provisioner';

describe('applyOnce against the local database', () => {
  let db: Awaited<ReturnType<typeof openTestSchema>>;
  let dataSource: DataSource;
  let effects: string;

  beforeAll(async () => {
    db = await openTestSchema();
    dataSource = db.dataSource;
    effects = `"${db.schema}".effects`;
    await dataSource.query(`CREATE TABLE ${effects} (event_id text NOT NULL, note text NOT NULL)`);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const countEffects = async (eventId: string): Promise<number> => {
    const [row]: { count: number }[] = await dataSource.query(
      `SELECT count(*)::int AS count FROM ${effects} WHERE event_id = $1`,
      [eventId],
    );
    return row.count;
  };

  const recordEffect = (eventId: string, note = 'applied') => (manager: EntityManager) =>
    manager.query(`INSERT INTO ${effects} (event_id, note) VALUES ($1, $2)`, [eventId, note]).then(() => undefined);

  it('applies an event once per consumer and skips the effect of a repeat', async () => {
    const eventId = uniqueName('evt-');
    expect(await applyOnce(dataSource, db.schema, 'registry.projection', eventId, recordEffect(eventId))).toBe(true);
    expect(await applyOnce(dataSource, db.schema, 'registry.projection', eventId, recordEffect(eventId))).toBe(false);
    expect(await countEffects(eventId)).toBe(1);

    // Another consumer keeps its own record of what it applied.
    expect(await applyOnce(dataSource, db.schema, 'registry.audit', eventId, recordEffect(eventId))).toBe(true);
    expect(await countEffects(eventId)).toBe(2);
  });

  it('leaves no mark when the effect fails, so a redelivery applies it', async () => {
    const eventId = uniqueName('evt-');
    const failing = applyOnce(dataSource, db.schema, 'c', eventId, async (manager) => {
      await recordEffect(eventId)(manager);
      throw new Error('constraint check failed downstream');
    });
    await expect(failing).rejects.toThrow('constraint check failed downstream');
    expect(await countEffects(eventId)).toBe(0);

    expect(await applyOnce(dataSource, db.schema, 'c', eventId, recordEffect(eventId))).toBe(true);
    expect(await countEffects(eventId)).toBe(1);
  });

  it('lets exactly one of two concurrent deliveries of the same event apply it', async () => {
    const eventId = uniqueName('evt-');
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstInside!: () => void;
    const firstMarked = new Promise<void>((resolve) => (firstInside = resolve));

    const first = applyOnce(dataSource, db.schema, 'c', eventId, async (manager) => {
      firstInside();
      await firstHolds;
      await recordEffect(eventId, 'first')(manager);
    });
    await firstMarked;
    const second = applyOnce(dataSource, db.schema, 'c', eventId, recordEffect(eventId, 'second'));
    // The duplicate's INSERT must be blocked on the first transaction's uncommitted mark before the first commits.
    await eventually(async () => {
      const waiting: unknown[] = await dataSource.query(
        `SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
        [`%"${db.schema}".processed_events%`],
      );
      return waiting.length > 0 ? true : undefined;
    }, 'the duplicate to wait on the first delivery');
    releaseFirst();

    expect(await Promise.all([first, second])).toEqual([true, false]);
    const notes = await dataSource.query(`SELECT note FROM ${effects} WHERE event_id = $1`, [eventId]);
    expect(notes).toEqual([{ note: 'first' }]);
  });

  it('turns the same event delivered twice through Kafka into one effect', async () => {
    const kafka = localKafka();
    const publisher = new EventPublisher(kafka);
    const groupId = uniqueName('msg-test-');
    const model = uniqueName('msgtest-');
    const results: boolean[] = [];
    await new TopicProvisioner(kafka).ensureTopics([SAMPLE_TOPIC]);
    await positionGroupAtEnd(kafka, groupId, [SAMPLE_TOPIC]);
    const consumer = new EventConsumer(kafka, { service: 'monitor', groupId, publisher });
    consumer.on(SAMPLE_TOPIC, async (event) => {
      if (event.subject !== model) return;
      results.push(await applyOnce(dataSource, db.schema, groupId, event.id, recordEffect(event.id)));
    });
    await publisher.connect();
    await consumer.start();
    try {
      const event = sampleEvent(model);
      await publisher.publish(SAMPLE_TOPIC, event);
      await publisher.publish(SAMPLE_TOPIC, event);

      await atLeast(2, () => results, 'both deliveries to be handled');
      expect(results).toEqual([true, false]);
      expect(await countEffects(event.id)).toBe(1);
    } finally {
      await consumer.stop();
      await publisher.disconnect();
    }
  });
});
