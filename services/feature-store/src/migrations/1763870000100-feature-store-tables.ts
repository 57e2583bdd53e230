import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Definitions, the online store (one row per view and entity), the offline history (range-partitioned by event
 * month; partitions are created by the writer as months appear) and dataset snapshots.
 */
export class FeatureStoreTables1763870000100 implements MigrationInterface {
  name = 'FeatureStoreTables1763870000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE feature_store.entities (
        name text PRIMARY KEY,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE feature_store.feature_views (
        name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        join_keys jsonb NOT NULL,
        schema_hash char(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (name, version)
      )`);
    // record_hash (md5 of the record's bytes) breaks event-time ties the same way whatever the arrival order.
    await runner.query(`
      CREATE TABLE feature_store.online_values (
        view_name text NOT NULL,
        entity_key text NOT NULL,
        event_time timestamptz NOT NULL,
        record_hash uuid NOT NULL,
        view_version integer NOT NULL,
        "values" jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (view_name, entity_key)
      )`);
    await runner.query(`
      CREATE TABLE feature_store.offline_history (
        view_name text NOT NULL,
        entity_key text NOT NULL,
        event_time timestamptz NOT NULL,
        record_hash uuid NOT NULL,
        view_version integer NOT NULL,
        "values" jsonb NOT NULL,
        written_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (view_name, entity_key, event_time, record_hash)
      ) PARTITION BY RANGE (event_time)`);
    await runner.query(
      'CREATE INDEX offline_history_entity_time ON feature_store.offline_history (entity_key, event_time)',
    );
    await runner.query(`
      CREATE TABLE feature_store.dataset_snapshots (
        id uuid PRIMARY KEY,
        uri text NOT NULL,
        sha256 char(64) NOT NULL,
        size_bytes bigint NOT NULL,
        rows bigint NOT NULL,
        schema jsonb NOT NULL,
        feature_views jsonb NOT NULL,
        time_from timestamptz NOT NULL,
        time_to timestamptz NOT NULL,
        request jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE feature_store.dataset_snapshots');
    await runner.query('DROP TABLE feature_store.offline_history');
    await runner.query('DROP TABLE feature_store.online_values');
    await runner.query('DROP TABLE feature_store.feature_views');
    await runner.query('DROP TABLE feature_store.entities');
  }
}
