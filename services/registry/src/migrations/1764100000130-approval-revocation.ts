import { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovalRevocation1764100000130 implements MigrationInterface {
  name = 'ApprovalRevocation1764100000130';

  async up(runner: QueryRunner): Promise<void> {
    // Governance may withdraw an approval; a revoked version may not serve again.
    await runner.query('ALTER TABLE registry.model_versions DROP CONSTRAINT model_versions_approval_status_check');
    await runner.query(
      `ALTER TABLE registry.model_versions ADD CONSTRAINT model_versions_approval_status_check
         CHECK (approval_status IN ('pending', 'approved', 'rejected', 'revoked'))`,
    );
    // Who uploaded a version, so governance can keep them from approving it; null for trained versions.
    await runner.query('ALTER TABLE registry.model_versions ADD COLUMN registered_by text');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE registry.model_versions DROP COLUMN registered_by');
    await runner.query('ALTER TABLE registry.model_versions DROP CONSTRAINT model_versions_approval_status_check');
    await runner.query(
      `ALTER TABLE registry.model_versions ADD CONSTRAINT model_versions_approval_status_check
         CHECK (approval_status IN ('pending', 'approved', 'rejected'))`,
    );
  }
}
