import { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelVersions1732300000100 implements MigrationInterface {
  name = 'ModelVersions1732300000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE registry.registered_models (
        name text PRIMARY KEY,
        description text NOT NULL DEFAULT '',
        owner text NOT NULL,
        risk_tier text NOT NULL CHECK (risk_tier IN ('minimal', 'limited', 'high')),
        tags jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE registry.model_versions (
        model_name text NOT NULL REFERENCES registry.registered_models(name),
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL CHECK (status IN ('PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION')),
        artifact_uri text NOT NULL,
        artifact_sha256 char(64) NOT NULL,
        artifact_size_bytes bigint NOT NULL,
        signature jsonb NOT NULL,
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
        reference_profile_uri text,
        run_id uuid,
        dataset_snapshot_id uuid,
        dataset_sha256 char(64),
        code_version text,
        parent_version integer,
        approval_status text NOT NULL DEFAULT 'pending' CHECK (approval_status IN ('pending', 'approved', 'rejected')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, version)
      )`);
    await runner.query(`CREATE UNIQUE INDEX model_versions_run_id ON registry.model_versions (run_id) WHERE run_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE registry.model_versions');
    await runner.query('DROP TABLE registry.registered_models');
  }
}
