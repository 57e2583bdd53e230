import { MigrationInterface, QueryRunner } from 'typeorm';

export class PoliciesAndApprovals1764100000300 implements MigrationInterface {
  name = 'PoliciesAndApprovals1764100000300';

  async up(runner: QueryRunner): Promise<void> {
    // Every applied version of every model's policy; the highest version is the one in force.
    await runner.query(`
      CREATE TABLE governance.policies (
        model_name text NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        definition jsonb NOT NULL,
        applied_by text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, version)
      )`);
    // What governance knows of other services, from their events: the facts the checks and duties are judged on.
    await runner.query(`
      CREATE TABLE governance.request_facts (
        request_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        requested_by text NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE governance.run_facts (
        run_id uuid PRIMARY KEY,
        request_id uuid NOT NULL,
        model_name text NOT NULL,
        metrics jsonb NOT NULL,
        champion_metrics jsonb,
        parent_version integer,
        group_metrics jsonb NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE governance.version_facts (
        model_name text NOT NULL,
        version integer NOT NULL,
        risk_tier text NOT NULL,
        owner text,
        registered_by text,
        signature jsonb NOT NULL,
        metrics jsonb NOT NULL,
        run_id uuid,
        dataset_sha256 text,
        registered_at timestamptz NOT NULL,
        PRIMARY KEY (model_name, version)
      )`);
    await runner.query('CREATE INDEX version_facts_run ON governance.version_facts (run_id) WHERE run_id IS NOT NULL');
    await runner.query(`
      CREATE TABLE governance.serving_facts (
        model_name text PRIMARY KEY,
        revision integer NOT NULL,
        champion_version integer,
        challenger_version integer
      )`);
    await runner.query(`
      CREATE TABLE governance.approvals (
        approval_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        version integer NOT NULL,
        risk_tier text NOT NULL,
        policy_version integer,
        status text NOT NULL CHECK (status IN ('PendingManualApproval', 'Approved', 'Rejected', 'Revoked')),
        required_approvals integer NOT NULL CHECK (required_approvals >= 0),
        checks_passed boolean NOT NULL,
        check_round integer NOT NULL DEFAULT 1,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        UNIQUE (model_name, version)
      )`);
    await runner.query('CREATE INDEX approvals_status ON governance.approvals (status, requested_at)');
    await runner.query(`
      CREATE TABLE governance.check_results (
        approval_id uuid NOT NULL REFERENCES governance.approvals(approval_id),
        round integer NOT NULL,
        name text NOT NULL,
        passed boolean NOT NULL,
        detail text NOT NULL,
        threshold jsonb,
        evidence jsonb,
        evaluated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (approval_id, round, name)
      )`);
    // Each person's decision; an approver approves a version at most once, so two approvals are two people.
    await runner.query(`
      CREATE TABLE governance.approval_decisions (
        seq bigserial PRIMARY KEY,
        approval_id uuid NOT NULL REFERENCES governance.approvals(approval_id),
        reviewer_id text NOT NULL,
        reviewer text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approve', 'reject', 'revoke')),
        reason text NOT NULL,
        automatic boolean NOT NULL,
        decided_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (approval_id, reviewer_id, decision)
      )`);
    await runner.query(`
      CREATE TABLE governance.rollout_decisions (
        decision_id uuid PRIMARY KEY,
        model_name text NOT NULL,
        champion_version integer NOT NULL,
        challenger_version integer NOT NULL,
        verdict text NOT NULL,
        verdict_reason text NOT NULL,
        action text NOT NULL CHECK (action IN ('promote', 'rollback', 'none')),
        mode text NOT NULL,
        status text NOT NULL CHECK (status IN ('Applied', 'PendingApproval', 'Rejected', 'NoAction')),
        decided_by text[] NOT NULL DEFAULT '{}',
        reason text,
        received_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz
      )`);
    await runner.query('CREATE INDEX rollout_decisions_model ON governance.rollout_decisions (model_name, received_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'rollout_decisions',
      'approval_decisions',
      'check_results',
      'approvals',
      'serving_facts',
      'version_facts',
      'run_facts',
      'request_facts',
      'policies',
    ]) {
      await runner.query(`DROP TABLE governance.${table}`);
    }
  }
}
