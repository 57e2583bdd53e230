import { MigrationInterface, QueryRunner } from 'typeorm';

export class RunLogs1763900000650 implements MigrationInterface {
  name = 'RunLogs1763900000650';

  async up(runner: QueryRunner): Promise<void> {
    // Nullable: runs recorded before logs were kept have none.
    await runner.query(`ALTER TABLE trainer.training_runs ADD COLUMN log_uri text, ADD COLUMN log_sha256 char(64)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE trainer.training_runs DROP COLUMN log_uri, DROP COLUMN log_sha256`);
  }
}
