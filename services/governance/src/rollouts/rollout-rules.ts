import type { RolloutMode, RolloutRecord } from '@mlops/contracts';

export interface RolloutPlan {
  action: RolloutRecord['action'];
  status: RolloutRecord['status'];
  reason: string;
}

/**
 * What a verdict becomes under the model's rollout mode. A rollback only withdraws the challenger and returns all
 * traffic to the approved champion, so it is applied at once under either mode; a promotion waits for a person
 * unless the policy says `auto`.
 */
export function rolloutPlanOf(verdict: RolloutRecord['verdict'], mode: RolloutMode): RolloutPlan {
  if (verdict === 'continue') return { action: 'none', status: 'NoAction', reason: 'the monitor lets the rollout continue' };
  if (verdict === 'rollback') return { action: 'rollback', status: 'Applied', reason: 'rollback verdict: the challenger is withdrawn' };
  if (mode === 'auto') return { action: 'promote', status: 'Applied', reason: 'promote verdict under rollout mode auto' };
  return { action: 'promote', status: 'PendingApproval', reason: 'promote verdict under rollout mode approval-required: waits for an approver' };
}
