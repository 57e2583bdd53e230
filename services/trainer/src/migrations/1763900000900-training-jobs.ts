import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingJobs1763900000900 implements MigrationInterface {
  name = 'TrainingJobs1763900000900';

  async up(runner: QueryRunner): Promise<void> {
    // One job per request id, so a redelivered request finds its job. The lease is counted on the database's
    // clock, so instances with skewed clocks agree on when a claim lapsed.
    await runner.query(`
      CREATE TABLE trainer.training_jobs (
        request_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        event jsonb NOT NULL,
        state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'finished')),
        run_after timestamptz NOT NULL DEFAULT now(),
        lease_owner uuid,
        lease_expires_at timestamptz,
        tries integer NOT NULL DEFAULT 0,
        last_error text,
        queued_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await runner.query(`CREATE INDEX training_jobs_unfinished ON trainer.training_jobs (queued_at) WHERE state <> 'finished'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trainer.training_jobs`);
  }
}
