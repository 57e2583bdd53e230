import { MigrationInterface, QueryRunner } from 'typeorm';

export class PrincipalsAndApiKeys1765100000100 implements MigrationInterface {
  name = 'PrincipalsAndApiKeys1765100000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE governance.principals (
        id uuid PRIMARY KEY,
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('person', 'service')),
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL
      )`);
    // Only the scrypt hash of a key's secret is kept; the key itself is shown once, to whoever created it.
    await runner.query(`
      CREATE TABLE governance.api_keys (
        key_id text PRIMARY KEY,
        principal_id uuid NOT NULL REFERENCES governance.principals (id),
        secret_hash jsonb NOT NULL,
        description text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        expires_at timestamptz,
        revoked_at timestamptz,
        revoked_by text
      )`);
    await runner.query('CREATE INDEX api_keys_principal ON governance.api_keys (principal_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE governance.api_keys');
    await runner.query('DROP TABLE governance.principals');
  }
}
