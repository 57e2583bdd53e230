import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1732300000200 implements MigrationInterface {
  name = 'AuditLog1732300000200';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE governance.audit_log (
        seq bigserial PRIMARY KEY,
        event_id text NOT NULL UNIQUE,
        event_type text NOT NULL,
        source text NOT NULL,
        subject text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL
      )`);
    await runner.query('CREATE INDEX audit_log_subject_time ON governance.audit_log (subject, occurred_at)');
    await runner.query('CREATE INDEX audit_log_type_time ON governance.audit_log (event_type, occurred_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE governance.audit_log');
  }
}
