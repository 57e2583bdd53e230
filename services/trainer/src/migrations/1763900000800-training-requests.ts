import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingRequests1763900000800 implements MigrationInterface {
  name = 'TrainingRequests1763900000800';

  async up(runner: QueryRunner): Promise<void> {
    // Progress lives in Postgres, not in the training instance's memory: any instance answers for any request.
    await runner.query(`
      CREATE TABLE trainer.training_requests (
        request_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        requested_at timestamptz,
        started_at timestamptz,
        iteration integer,
        total_iterations integer,
        progress_at timestamptz
      )`);
    // The champion scored on the run's holdout: null version when the model had none, null metrics (with the
    // reason) when its champion could not be scored on the run's features.
    await runner.query(`
      ALTER TABLE trainer.training_runs
        ADD COLUMN champion_version integer,
        ADD COLUMN champion_source text,
        ADD COLUMN champion_metrics jsonb,
        ADD COLUMN champion_skipped_reason text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE trainer.training_runs
        DROP COLUMN champion_version, DROP COLUMN champion_source, DROP COLUMN champion_metrics, DROP COLUMN champion_skipped_reason`);
    await runner.query(`DROP TABLE trainer.training_requests`);
  }
}
