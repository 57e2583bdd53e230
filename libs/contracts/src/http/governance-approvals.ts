import { z } from 'zod';
import { IsoTime, ModelName, PolicyRiskTier, Uuid, VersionNumber } from '../common';
import { RolloutMode } from './governance-policies';

export const ApprovalStatus = z.enum(['PendingManualApproval', 'Approved', 'Rejected', 'Revoked']);

/** One check of one evaluation of a version against its policy, with what it measured and the bound it held to. */
export const CheckResultRecord = z.object({
  name: z.string().min(1),
  passed: z.boolean(),
  detail: z.string(),
  threshold: z.unknown(),
  evidence: z.unknown(),
  evaluatedAt: IsoTime,
});

export const ApprovalDecisionRecord = z.object({
  reviewer: z.string().min(1),
  decision: z.enum(['approve', 'reject', 'revoke']),
  reason: z.string().min(1),
  automatic: z.boolean(),
  decidedAt: IsoTime,
});

export const Approval = z.object({
  approvalId: Uuid,
  modelName: ModelName,
  version: VersionNumber,
  riskTier: PolicyRiskTier,
  /** null: no policy applied for the model, the default policy was used. */
  policyVersion: z.number().int().positive().nullable(),
  status: ApprovalStatus,
  requiredApprovals: z.number().int().nonnegative(),
  /** People who approved so far. */
  approvals: z.number().int().nonnegative(),
  checksPassed: z.boolean(),
  requestedBy: z.string().min(1),
  requestedAt: IsoTime,
  decidedAt: IsoTime.nullable(),
  checks: z.array(CheckResultRecord),
  decisions: z.array(ApprovalDecisionRecord),
});

export const ApprovalList = z.object({ items: z.array(Approval.omit({ checks: true, decisions: true })) });

export const ApprovalQuery = z.object({
  status: ApprovalStatus.optional(),
  model: ModelName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** Body of approve, reject and revoke: every decision says why. */
export const DecisionRequest = z.object({ reason: z.string({ error: 'must say why' }).trim().min(1, 'must say why') }).strict();

export const RolloutStatus = z.enum(['Applied', 'PendingApproval', 'Rejected', 'NoAction']);

/** A monitor's rollout verdict and what governance made of it. */
export const RolloutRecord = z.object({
  decisionId: Uuid,
  modelName: ModelName,
  championVersion: VersionNumber,
  challengerVersion: VersionNumber,
  verdict: z.enum(['promote', 'rollback', 'continue']),
  action: z.enum(['promote', 'rollback', 'none']),
  mode: RolloutMode,
  status: RolloutStatus,
  verdictReason: z.string(),
  decidedBy: z.array(z.string()),
  reason: z.string().nullable(),
  receivedAt: IsoTime,
  decidedAt: IsoTime.nullable(),
});

export const RolloutList = z.object({ items: z.array(RolloutRecord) });

export type ApprovalStatus = z.infer<typeof ApprovalStatus>;
export type CheckResultRecord = z.infer<typeof CheckResultRecord>;
export type ApprovalDecisionRecord = z.infer<typeof ApprovalDecisionRecord>;
export type Approval = z.infer<typeof Approval>;
export type ApprovalList = z.infer<typeof ApprovalList>;
export type ApprovalSummary = ApprovalList['items'][number];
export type ApprovalQuery = z.output<typeof ApprovalQuery>;
export type DecisionRequest = z.infer<typeof DecisionRequest>;
export type RolloutStatus = z.infer<typeof RolloutStatus>;
export type RolloutRecord = z.infer<typeof RolloutRecord>;
