import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Records refused by ingestion, written in the transaction that writes the rest of their batch and published to
 * the dead-letter topic after it commits. Keyed by the source record and the refusing view, so a redelivered
 * batch finds its dead letters already there and sends none twice.
 */
export class DeadLetterOutbox1763870000500 implements MigrationInterface {
  name = 'DeadLetterOutbox1763870000500';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE feature_store.dead_letters (
        source_topic text NOT NULL,
        source_partition integer NOT NULL,
        source_offset bigint NOT NULL,
        view_name text NOT NULL,
        message_key bytea NULL,
        message_value bytea NULL,
        headers jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz NULL,
        PRIMARY KEY (source_topic, source_partition, source_offset, view_name)
      )`);
    // Every batch asks for its partition's unpublished letters; the index holds only those, so the answer is cheap.
    await runner.query(`
      CREATE INDEX dead_letters_unpublished ON feature_store.dead_letters (source_topic, source_partition, source_offset)
      WHERE published_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE feature_store.dead_letters');
  }
}
