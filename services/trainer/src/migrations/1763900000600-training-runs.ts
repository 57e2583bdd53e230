import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrainingRuns1763900000600 implements MigrationInterface {
  name = 'TrainingRuns1763900000600';

  async up(runner: QueryRunner): Promise<void> {
    // One completed run per request: a redelivered or retried request finds its run instead of training twice.
    await runner.query(`
      CREATE TABLE trainer.training_runs (
        run_id uuid PRIMARY KEY,
        request_id uuid NOT NULL UNIQUE,
        model_name text NOT NULL,
        algorithm text NOT NULL,
        seed integer NOT NULL,
        params jsonb NOT NULL,
        metrics jsonb NOT NULL,
        loss_curve jsonb NOT NULL,
        dataset_snapshot_id uuid NOT NULL,
        dataset_sha256 char(64) NOT NULL,
        artifact_uri text NOT NULL,
        artifact_sha256 char(64) NOT NULL,
        artifact_size_bytes bigint NOT NULL,
        reference_profile_uri text NOT NULL,
        code_version text NOT NULL,
        environment jsonb NOT NULL,
        duration_ms integer NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX training_runs_model_idx ON trainer.training_runs (model_name, completed_at DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE trainer.training_runs`);
  }
}
