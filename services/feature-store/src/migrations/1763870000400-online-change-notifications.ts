import { MigrationInterface, QueryRunner } from 'typeorm';

/** The channel every replica listens on to drop the online rows it holds in memory once they change. */
export const ONLINE_CHANGES_CHANNEL = 'feature_store_online_values';

/**
 * Tells every listener which (view, entity) online rows a transaction changed, on commit and only then: NOTIFY is
 * transactional, so a rolled back write announces nothing and a committed one is never missed. A trigger rather
 * than the writer's SQL, so every path that writes online values (ingestion, backfill, another replica, a manual
 * fix) is covered. Statement-level with transition tables: a batch of 2,000 keys sends about 20 notifications
 * (`["view", [keys...]]`) for about 1 ms of Postgres CPU, not one per row.
 *
 * Payloads must stay under Postgres's 8000 bytes. Keys are chunked by a running sum, in arrival order (sorting
 * them cost more than the rest together), of a bound on their JSON size: 6 bytes per byte of key (a control
 * character becomes \u00XX) plus quotes and separator. A chunk's bounds then add up to under 5000 plus the
 * largest single bound, 1804 for a key of 300 bytes; a longer key makes the whole view's rows stale instead
 * (`["view"]`). TRUNCATE sends `*`: everything is stale.
 */
export class OnlineChangeNotifications1763870000400 implements MigrationInterface {
  name = 'OnlineChangeNotifications1763870000400';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION feature_store.notify_online_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE
        payload text;
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('${ONLINE_CHANGES_CHANNEL}', '*');
          RETURN NULL;
        END IF;
        FOR payload IN
          SELECT json_build_array(view_name)::text FROM changed WHERE octet_length(entity_key) > 300 GROUP BY view_name
          UNION ALL
          SELECT json_build_array(view_name, json_agg(entity_key))::text
          FROM (
            SELECT view_name, entity_key, sum(6 * octet_length(entity_key) + 4) OVER (ROWS UNBOUNDED PRECEDING) / 5000 AS chunk
            FROM changed WHERE octet_length(entity_key) <= 300
          ) chunked
          GROUP BY view_name, chunk
        LOOP
          PERFORM pg_notify('${ONLINE_CHANGES_CHANNEL}', payload);
        END LOOP;
        RETURN NULL;
      END
      $fn$`);
    // A transition table belongs to one event, hence one trigger per event, all naming it "changed".
    for (const [event, table] of [['INSERT', 'NEW'], ['UPDATE', 'NEW'], ['DELETE', 'OLD']]) {
      await runner.query(`
        CREATE TRIGGER online_values_${event.toLowerCase()}_notify AFTER ${event} ON feature_store.online_values
        REFERENCING ${table} TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION feature_store.notify_online_changes()`);
    }
    await runner.query(`
      CREATE TRIGGER online_values_truncate_notify AFTER TRUNCATE ON feature_store.online_values
      FOR EACH STATEMENT EXECUTE FUNCTION feature_store.notify_online_changes()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await runner.query(`DROP TRIGGER online_values_${event}_notify ON feature_store.online_values`);
    }
    await runner.query('DROP FUNCTION feature_store.notify_online_changes()');
  }
}
