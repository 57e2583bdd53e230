import type { DataSource, EntityManager } from 'typeorm';
import { processedEventsTable } from './messaging-tables';

/**
 * Runs `effect` at most once per (consumer, eventId): the "applied" mark and the effect commit together.
 * Returns false, without running the effect, when the event was already applied.
 *
 * READ COMMITTED is pinned because the dedupe relies on it: a concurrent duplicate's INSERT waits for the
 * first transaction and then does nothing, where stricter isolation would abort it with a serialization error.
 */
export function applyOnce(
  dataSource: DataSource,
  schema: string,
  consumer: string,
  eventId: string,
  effect: (manager: EntityManager) => Promise<void>,
): Promise<boolean> {
  const table = processedEventsTable(schema);
  return dataSource.transaction('READ COMMITTED', async (manager) => {
    const marked: unknown[] = await manager.query(
      `INSERT INTO ${table} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, eventId],
    );
    if (marked.length === 0) return false;
    await effect(manager);
    return true;
  });
}
