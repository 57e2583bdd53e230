import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Approval, ApprovalDecisionRecord, ApprovalQuery, ApprovalStatus, ApprovalSummary, CheckResultRecord, PolicyRiskTier } from '@mlops/contracts';
import type { CheckOutcome } from '../checks/check-outcome';

interface ApprovalRow {
  approval_id: string;
  model_name: string;
  version: number;
  risk_tier: PolicyRiskTier;
  policy_version: number | null;
  status: ApprovalStatus;
  required_approvals: number;
  checks_passed: boolean;
  check_round: number;
  requested_by: string;
  requested_at: Date;
  decided_at: Date | null;
  approvals: string;
}

export interface NewApproval {
  approvalId: string;
  modelName: string;
  version: number;
  riskTier: PolicyRiskTier;
  policyVersion: number | null;
  status: ApprovalStatus;
  requiredApprovals: number;
  requestedBy: string;
}

/** An approval as a decision needs it, locked: its state and who approved it so far. */
export interface LockedApproval extends ApprovalSummary {
  checkRound: number;
  failedChecks: string[];
  approvers: { id: string; name: string }[];
}

export interface NewDecision {
  reviewerId: string;
  reviewer: string;
  decision: ApprovalDecisionRecord['decision'];
  reason: string;
  automatic: boolean;
}

const SELECT_APPROVAL = `
  SELECT a.*, (SELECT COUNT(*) FROM governance.approval_decisions d WHERE d.approval_id = a.approval_id AND d.decision = 'approve') AS approvals
  FROM governance.approvals a`;

/** Approval requests, the check results of each evaluation round, and every decision taken on them. */
@Injectable()
export class ApprovalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** False, writing nothing, when the version has an approval request already. */
  async open(manager: EntityManager, approval: NewApproval, checks: CheckOutcome[]): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO governance.approvals (approval_id, model_name, version, risk_tier, policy_version, status, required_approvals,
         checks_passed, requested_by, decided_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CASE WHEN $6 = 'PendingManualApproval' THEN NULL ELSE now() END)
       ON CONFLICT (model_name, version) DO NOTHING RETURNING approval_id`,
      [
        approval.approvalId, approval.modelName, approval.version, approval.riskTier, approval.policyVersion, approval.status,
        approval.requiredApprovals, checks.every((c) => c.passed), approval.requestedBy,
      ],
    );
    if (rows.length === 0) return false;
    await this.recordChecks(manager, approval.approvalId, 1, checks);
    return true;
  }

  async exists(manager: EntityManager, modelName: string, version: number): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM governance.approvals WHERE model_name = $1 AND version = $2', [modelName, version]);
    return rows.length === 1;
  }

  /** Takes the approval's row lock: decisions on one approval happen one after the other. */
  async lock(manager: EntityManager, modelName: string, version: number): Promise<LockedApproval | null> {
    const rows: ApprovalRow[] = await manager.query(
      'SELECT *, 0 AS approvals FROM governance.approvals WHERE model_name = $1 AND version = $2 FOR UPDATE',
      [modelName, version],
    );
    if (!rows.length) return null;
    const row = rows[0];
    const approvers: { reviewer_id: string; reviewer: string }[] = await manager.query(
      `SELECT reviewer_id, reviewer FROM governance.approval_decisions WHERE approval_id = $1 AND decision = 'approve' ORDER BY seq`,
      [row.approval_id],
    );
    const failed: { name: string }[] = await manager.query(
      'SELECT name FROM governance.check_results WHERE approval_id = $1 AND round = $2 AND NOT passed ORDER BY name',
      [row.approval_id, row.check_round],
    );
    return {
      ...toSummary({ ...row, approvals: String(approvers.length) }),
      checkRound: row.check_round,
      failedChecks: failed.map((f) => f.name),
      approvers: approvers.map((a) => ({ id: a.reviewer_id, name: a.reviewer })),
    };
  }

  async recordDecision(manager: EntityManager, approvalId: string, decision: NewDecision): Promise<void> {
    await manager.query(
      `INSERT INTO governance.approval_decisions (approval_id, reviewer_id, reviewer, decision, reason, automatic)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [approvalId, decision.reviewerId, decision.reviewer, decision.decision, decision.reason, decision.automatic],
    );
  }

  async setStatus(manager: EntityManager, approvalId: string, status: ApprovalStatus): Promise<void> {
    await manager.query('UPDATE governance.approvals SET status = $2, decided_at = now() WHERE approval_id = $1', [approvalId, status]);
  }

  /** A new evaluation round replaces the verdict a decision is judged on; earlier rounds stay as they were. */
  async recordRound(
    manager: EntityManager,
    approvalId: string,
    round: number,
    checks: CheckOutcome[],
    terms: Pick<NewApproval, 'riskTier' | 'policyVersion' | 'requiredApprovals'>,
  ): Promise<void> {
    await this.recordChecks(manager, approvalId, round, checks);
    await manager.query(
      `UPDATE governance.approvals SET check_round = $2, checks_passed = $3, risk_tier = $4, policy_version = $5, required_approvals = $6
       WHERE approval_id = $1`,
      [approvalId, round, checks.every((c) => c.passed), terms.riskTier, terms.policyVersion, terms.requiredApprovals],
    );
  }

  async find(modelName: string, version: number): Promise<Approval | null> {
    const rows: ApprovalRow[] = await this.dataSource.query(`${SELECT_APPROVAL} WHERE a.model_name = $1 AND a.version = $2`, [modelName, version]);
    if (!rows.length) return null;
    const row = rows[0];
    const checks: { name: string; passed: boolean; detail: string; threshold: unknown; evidence: unknown; evaluated_at: Date }[] =
      await this.dataSource.query(
        'SELECT * FROM governance.check_results WHERE approval_id = $1 AND round = $2 ORDER BY evaluated_at, name',
        [row.approval_id, row.check_round],
      );
    const decisions: { reviewer: string; decision: ApprovalDecisionRecord['decision']; reason: string; automatic: boolean; decided_at: Date }[] =
      await this.dataSource.query('SELECT * FROM governance.approval_decisions WHERE approval_id = $1 ORDER BY seq', [row.approval_id]);
    return {
      ...toSummary(row),
      checks: checks.map(
        (c): CheckResultRecord => ({
          name: c.name,
          passed: c.passed,
          detail: c.detail,
          threshold: c.threshold,
          evidence: c.evidence,
          evaluatedAt: c.evaluated_at.toISOString(),
        }),
      ),
      decisions: decisions.map((d) => ({
        reviewer: d.reviewer,
        decision: d.decision,
        reason: d.reason,
        automatic: d.automatic,
        decidedAt: d.decided_at.toISOString(),
      })),
    };
  }

  async list(query: ApprovalQuery): Promise<ApprovalSummary[]> {
    const rows: ApprovalRow[] = await this.dataSource.query(
      `${SELECT_APPROVAL} WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.model_name = $2)
       ORDER BY a.requested_at DESC LIMIT $3`,
      [query.status ?? null, query.model ?? null, query.limit],
    );
    return rows.map(toSummary);
  }

  private async recordChecks(manager: EntityManager, approvalId: string, round: number, checks: CheckOutcome[]): Promise<void> {
    for (const check of checks) {
      await manager.query(
        `INSERT INTO governance.check_results (approval_id, round, name, passed, detail, threshold, evidence) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [approvalId, round, check.name, check.passed, check.detail, JSON.stringify(check.threshold), JSON.stringify(check.evidence)],
      );
    }
  }
}

function toSummary(row: ApprovalRow): ApprovalSummary {
  return {
    approvalId: row.approval_id,
    modelName: row.model_name,
    version: row.version,
    riskTier: row.risk_tier,
    policyVersion: row.policy_version,
    status: row.status,
    requiredApprovals: row.required_approvals,
    approvals: Number(row.approvals),
    checksPassed: row.checks_passed,
    requestedBy: row.requested_by,
    requestedAt: row.requested_at.toISOString(),
    decidedAt: row.decided_at?.toISOString() ?? null,
  };
}
