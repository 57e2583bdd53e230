import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeploymentsAndAliases1732300000110 implements MigrationInterface {
  name = 'DeploymentsAndAliases1732300000110';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE registry.model_versions ADD COLUMN tags jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await runner.query(`CREATE INDEX model_versions_metrics ON registry.model_versions USING gin (metrics)`);
    await runner.query(`CREATE INDEX registered_models_tags ON registry.registered_models USING gin (tags)`);
    await runner.query(`
      CREATE TABLE registry.model_aliases (
        model_name text NOT NULL REFERENCES registry.registered_models(name),
        alias text NOT NULL,
        version integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, alias),
        FOREIGN KEY (model_name, version) REFERENCES registry.model_versions(model_name, version)
      )`);
    // The current serving spec per model: exactly the data of its latest deployment-changed event.
    await runner.query(`
      CREATE TABLE registry.deployments (
        model_name text PRIMARY KEY REFERENCES registry.registered_models(name),
        revision integer NOT NULL CHECK (revision > 0),
        spec jsonb NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // Every spec that ever served, with the interval it served in; valid_to is null for the current one.
    await runner.query(`
      CREATE TABLE registry.deployment_history (
        model_name text NOT NULL REFERENCES registry.registered_models(name),
        revision integer NOT NULL CHECK (revision > 0),
        spec jsonb NOT NULL,
        changed_by text NOT NULL,
        reason text NOT NULL,
        valid_from timestamptz NOT NULL,
        valid_to timestamptz,
        PRIMARY KEY (model_name, revision),
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX deployment_history_current ON registry.deployment_history (model_name) WHERE valid_to IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE registry.deployment_history');
    await runner.query('DROP TABLE registry.deployments');
    await runner.query('DROP TABLE registry.model_aliases');
    await runner.query('DROP INDEX registry.registered_models_tags');
    await runner.query('DROP INDEX registry.model_versions_metrics');
    await runner.query('ALTER TABLE registry.model_versions DROP COLUMN tags');
  }
}
