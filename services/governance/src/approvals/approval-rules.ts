import type { PolicyRiskTier } from '@mlops/contracts';
import type { CheckOutcome } from '../checks/check-outcome';

/** People who must approve a version of each tier when no automatic decision is taken. */
const REQUIRED_APPROVERS: Record<Exclude<PolicyRiskTier, 'prohibited'>, number> = { minimal: 1, limited: 1, high: 2 };

/** How an approval request opens: waiting for people, or decided by the platform alone, with its reason. */
export type Opening =
  | { status: 'PendingManualApproval'; requiredApprovals: number }
  | { status: 'Approved' | 'Rejected'; requiredApprovals: 0; reason: string };

/** Only minimal-risk versions passing every check are approved alone; prohibited ones are rejected alone. */
export function openingOf(tier: PolicyRiskTier, checks: CheckOutcome[]): Opening {
  if (tier === 'prohibited') {
    return { status: 'Rejected', requiredApprovals: 0, reason: 'risk tier prohibited: the model may not be approved or served' };
  }
  if (tier === 'minimal' && checks.every((c) => c.passed)) {
    return { status: 'Approved', requiredApprovals: 0, reason: `minimal risk and all ${checks.length} checks passed` };
  }
  return { status: 'PendingManualApproval', requiredApprovals: REQUIRED_APPROVERS[tier] };
}
