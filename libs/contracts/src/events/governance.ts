import { z } from 'zod';
import { ModelName, PolicyRiskTier, Uuid, VersionNumber } from '../common';

export const CheckResult = z.object({ name: z.string().min(1), passed: z.boolean(), detail: z.string() });

export const ApprovalRequested = z.object({
  approvalId: Uuid,
  modelName: ModelName,
  version: VersionNumber,
  riskTier: PolicyRiskTier,
  requiredApprovals: z.number().int().nonnegative(),
  checks: z.array(CheckResult),
  requestedBy: z.string().min(1),
});

/** `revoked` withdraws an earlier approval: the registry takes the version out of serving. */
export const ApprovalDecided = z.object({
  approvalId: Uuid,
  modelName: ModelName,
  version: VersionNumber,
  decision: z.enum(['approved', 'rejected', 'revoked']),
  automatic: z.boolean(),
  decidedBy: z.array(z.string().min(1)),
  reason: z.string().min(1),
});

/**
 * What governance made of a monitor's rollout verdict under the model's policy: the registry applies it to the
 * deployment, if the deployment is still the one the verdict judged.
 */
export const RolloutDecided = z.object({
  decisionId: Uuid,
  modelName: ModelName,
  /** promote: the challenger becomes the sole champion; rollback: the challenger is withdrawn. */
  action: z.enum(['promote', 'rollback']),
  championVersion: VersionNumber,
  challengerVersion: VersionNumber,
  automatic: z.boolean(),
  decidedBy: z.array(z.string().min(1)).min(1),
  reason: z.string().min(1),
});
