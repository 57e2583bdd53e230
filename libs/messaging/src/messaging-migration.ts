import type { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxTable, processedEventsTable, quoteSchema } from './messaging-tables';

/**
 * The messaging tables of one service schema. TypeORM takes the timestamp from the last 13 characters of
 * `name`; the schema is in the name too, so one DataSource can hold this migration for several schemas.
 */
export function messagingMigration(schema: string): new () => MigrationInterface {
  const schemaSql = quoteSchema(schema);
  const outbox = outboxTable(schema);
  const processedEvents = processedEventsTable(schema);

  return class MessagingTables1732300000000 implements MigrationInterface {
    readonly name = `MessagingTables_${schema}_1732300000000`;

    async up(queryRunner: QueryRunner): Promise<void> {
      // Only when missing: a service's role owns its schema but may not create schemas, and CREATE SCHEMA IF NOT
      // EXISTS asks for that privilege even when the schema is there.
      await queryRunner.query(
        `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = ${literal(schema)}) THEN CREATE SCHEMA ${schemaSql}; END IF; END $$`,
      );
      await queryRunner.query(`
        CREATE TABLE IF NOT EXISTS ${processedEvents} (
          consumer text NOT NULL,
          event_id text NOT NULL,
          processed_at timestamptz NOT NULL DEFAULT now(),
          PRIMARY KEY (consumer, event_id)
        )`);
      // payload holds the exact bytes validated at enqueue time, so what is published is what was checked.
      await queryRunner.query(`
        CREATE TABLE IF NOT EXISTS ${outbox} (
          seq bigserial PRIMARY KEY,
          event_id text NOT NULL UNIQUE,
          topic text NOT NULL,
          message_key text NOT NULL,
          payload bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          published_at timestamptz NULL,
          attempts integer NOT NULL DEFAULT 0,
          last_error text NULL
        )`);
      // The relay only ever scans unpublished rows; the index stays as small as the backlog.
      await queryRunner.query(
        `CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON ${outbox} (seq) WHERE published_at IS NULL`,
      );
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP TABLE IF EXISTS ${outbox}`);
      await queryRunner.query(`DROP TABLE IF EXISTS ${processedEvents}`);
    }
  };
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
