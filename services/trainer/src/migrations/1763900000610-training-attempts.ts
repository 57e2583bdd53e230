import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingAttempts1763900000610 implements MigrationInterface {
  name = 'TrainingAttempts1763900000610';

  async up(runner: QueryRunner): Promise<void> {
    // Counted in Postgres, not in memory: a request retried by a restarted or another instance keeps its count.
    await runner.query(`
      CREATE TABLE trainer.training_attempts (
        request_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        failed_attempts integer NOT NULL,
        last_reason text NOT NULL,
        failed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trainer.training_attempts`);
  }
}
