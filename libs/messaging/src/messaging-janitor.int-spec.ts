import { MessagingJanitor } from './messaging-janitor';
import { openTestSchema } from './integration-harness';

describe('MessagingJanitor against the local database', () => {
  let db: Awaited<ReturnType<typeof openTestSchema>>;
  const now = new Date('2026-11-23T12:00:00Z');
  const hoursBefore = (hours: number) => new Date(now.getTime() - hours * 3600_000);

  beforeAll(async () => {
    db = await openTestSchema();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function outboxRow(eventId: string, createdHoursAgo: number, publishedHoursAgo: number | null): Promise<void> {
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".outbox (event_id, topic, message_key, payload, created_at, published_at) VALUES ($1, 't', 'k', '\\x00', $2, $3)`,
      [eventId, hoursBefore(createdHoursAgo), publishedHoursAgo === null ? null : hoursBefore(publishedHoursAgo)],
    );
  }

  async function remaining(table: 'outbox' | 'processed_events'): Promise<string[]> {
    const rows: { event_id: string }[] = await db.dataSource.query(`SELECT event_id FROM "${db.schema}".${table} ORDER BY event_id`);
    return rows.map((r) => r.event_id);
  }

  it('deletes only published outbox rows and dedupe records past their retention', async () => {
    await outboxRow('old-published', 200, 199);
    await outboxRow('recent-published', 200, 1);
    // A row the relay has not managed to publish for ages is a backlog, not garbage.
    await outboxRow('old-unpublished', 500, null);
    for (const [id, hoursAgo] of [['old-processed', 300], ['recent-processed', 100]] as const) {
      await db.dataSource.query(`INSERT INTO "${db.schema}".processed_events (consumer, event_id, processed_at) VALUES ('c', $1, $2)`, [
        id,
        hoursBefore(hoursAgo),
      ]);
    }

    const janitor = new MessagingJanitor(db.dataSource, db.schema, { publishedOutboxHours: 24, processedEventsHours: 192 });
    expect(await janitor.pruneOnce(now)).toEqual({ outbox: 1, processedEvents: 1 });
    expect(await remaining('outbox')).toEqual(['old-unpublished', 'recent-published']);
    expect(await remaining('processed_events')).toEqual(['recent-processed']);
    expect(await janitor.pruneOnce(now)).toEqual({ outbox: 0, processedEvents: 0 });
  });

  it('deletes more rows than one slice holds', async () => {
    await db.dataSource.query(
      `INSERT INTO "${db.schema}".outbox (event_id, topic, message_key, payload, created_at, published_at)
       SELECT 'bulk-' || i, 't', 'k', '\\x00', $1, $1 FROM generate_series(1, 12001) AS i`,
      [hoursBefore(100)],
    );
    const janitor = new MessagingJanitor(db.dataSource, db.schema, { publishedOutboxHours: 24, processedEventsHours: 192 });
    expect((await janitor.pruneOnce(now)).outbox).toBe(12001);
  });
});
