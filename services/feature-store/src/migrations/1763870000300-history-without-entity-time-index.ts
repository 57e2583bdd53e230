import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every history read is per view (point-in-time joins, backfill checks), which the primary key
 * (view_name, entity_key, event_time, record_hash) serves as an (entity, event time) range scan. The extra
 * (entity_key, event_time) index was read by nothing and cost every ingested record one more B-tree insert.
 */
export class HistoryWithoutEntityTimeIndex1763870000300 implements MigrationInterface {
  name = 'HistoryWithoutEntityTimeIndex1763870000300';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX feature_store.offline_history_entity_time');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX offline_history_entity_time ON feature_store.offline_history (entity_key, event_time)');
  }
}
