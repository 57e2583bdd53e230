import { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelCards1732300000510 implements MigrationInterface {
  name = 'ModelCards1732300000510';

  async up(runner: QueryRunner): Promise<void> {
    // What people wrote on a version's card, and where its latest rendering is stored (by content hash).
    await runner.query(`
      CREATE TABLE governance.model_cards (
        model_name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        edits jsonb NOT NULL DEFAULT '{}'::jsonb,
        last_edited_by text NULL,
        last_edited_at timestamptz NULL,
        card_sha256 text NULL,
        markdown_uri text NULL,
        markdown_sha256 text NULL,
        html_uri text NULL,
        html_sha256 text NULL,
        rendered_at timestamptz NULL,
        PRIMARY KEY (model_name, version)
      )`);
    // Manual ML Test Score evidence: the latest record per test counts.
    await runner.query(`
      CREATE TABLE governance.ml_test_evidence (
        model_name text NOT NULL,
        test_id text NOT NULL,
        link text NOT NULL,
        note text NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (model_name, test_id)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE governance.ml_test_evidence');
    await runner.query('DROP TABLE governance.model_cards');
  }
}
