import type { QueryRunner } from 'typeorm';
import { messagingMigration } from './messaging-migration';

function recordingRunner(): { runner: QueryRunner; statements: string[] } {
  const statements: string[] = [];
  const runner = { query: async (sql: string) => void statements.push(sql.replace(/\s+/g, ' ').trim()) };
  return { runner: runner as unknown as QueryRunner, statements };
}

describe('messagingMigration', () => {
  it('has a name TypeORM accepts (13-digit timestamp last) that differs per schema', () => {
    const Migration = messagingMigration('registry');
    const name = new Migration().name as string;
    expect(Migration.name).toBe('MessagingTables1732300000000');
    expect(name).toContain('registry');
    expect(parseInt(name.substr(-13), 10)).toBe(1732300000000);
    expect(new (messagingMigration('monitor'))().name).not.toBe(name);
  });

  it('creates the schema before the outbox and processed-events tables, and drops the tables on down', async () => {
    const up = recordingRunner();
    await new (messagingMigration('trainer'))().up(up.runner);
    expect(up.statements[0]).toBe(
      `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = 'trainer') THEN CREATE SCHEMA "trainer"; END IF; END $$`,
    );
    expect(up.statements.some((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS "trainer".processed_events'))).toBe(true);
    expect(up.statements.some((sql) => sql.startsWith('CREATE TABLE IF NOT EXISTS "trainer".outbox'))).toBe(true);
    expect(up.statements).toContain(
      'CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON "trainer".outbox (seq) WHERE published_at IS NULL',
    );

    const down = recordingRunner();
    await new (messagingMigration('trainer'))().down(down.runner);
    expect(down.statements).toEqual([
      'DROP TABLE IF EXISTS "trainer".outbox',
      'DROP TABLE IF EXISTS "trainer".processed_events',
    ]);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(() => messagingMigration('feature-store')).toThrow(/invalid Postgres schema name/);
  });
});
