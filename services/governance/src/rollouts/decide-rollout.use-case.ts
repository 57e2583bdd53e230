import { randomUUID } from 'node:crypto';
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { createEvent, PlatformEvent, RolloutRecord } from '@mlops/contracts';
import { applyOnce, OutboxWriter } from '@mlops/messaging';
import type { Reviewer } from '../approvals/separation-of-duties';
import { POLICY_REVIEWER } from '../checks/run-policy-checks';
import { PolicyRepository } from '../policies/policy.repository';
import { RolloutRepository } from './rollout.repository';
import { rolloutPlanOf } from './rollout-rules';

/**
 * Turns the monitor's rollout verdicts into deployment changes by the model's policy. Governance does not change
 * deployments itself: it announces `mlops.governance.rollout-decided` through its outbox and the registry, which
 * owns deployments, applies it, so a Kafka handler never waits on another service's HTTP API.
 */
@Injectable()
export class DecideRollout {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rollouts: RolloutRepository,
    private readonly policies: PolicyRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  fromVerdict(event: PlatformEvent<'mlops.monitor.rollout-verdict'>): Promise<boolean> {
    const verdict = event.data;
    return applyOnce(this.dataSource, 'governance', 'rollout-verdicts', event.id, async (manager) => {
      const mode = (await this.policies.inForceFor(manager, verdict.modelName))?.definition.rollout ?? 'approval-required';
      const plan = rolloutPlanOf(verdict.verdict, mode);
      const rollout = {
        decisionId: randomUUID(),
        modelName: verdict.modelName,
        championVersion: verdict.championVersion,
        challengerVersion: verdict.challengerVersion,
        verdict: verdict.verdict,
        verdictReason: verdict.reason,
        action: plan.action,
        mode,
        status: plan.status,
        decidedBy: plan.status === 'PendingApproval' ? [] : [POLICY_REVIEWER.name],
        reason: plan.reason,
      };
      await this.rollouts.insert(manager, rollout);
      if (plan.status === 'Applied') await this.announce(manager, rollout, true);
    });
  }

  /** An approver's answer to a promotion the policy left to people. */
  async byReviewer(decisionId: string, reviewer: Reviewer, decision: 'approve' | 'reject', reason: string): Promise<RolloutRecord> {
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const rollout = await this.rollouts.lock(manager, decisionId);
      if (!rollout) throw new NotFoundException(`no rollout decision ${decisionId}`);
      if (rollout.status !== 'PendingApproval') throw new ConflictException(`rollout decision ${decisionId} is ${rollout.status}; it waits for nobody`);
      const status = decision === 'approve' ? 'Applied' : 'Rejected';
      await this.rollouts.decide(manager, decisionId, status, [reviewer.name], reason);
      if (status === 'Applied') await this.announce(manager, { ...rollout, decidedBy: [reviewer.name], reason }, false);
    });
    return (await this.rollouts.find(decisionId)) as RolloutRecord;
  }

  private async announce(manager: EntityManager, rollout: Omit<RolloutRecord, 'receivedAt' | 'decidedAt'>, automatic: boolean): Promise<void> {
    if (rollout.action === 'none') return;
    const event = createEvent(
      'mlops.governance.rollout-decided',
      {
        decisionId: rollout.decisionId,
        modelName: rollout.modelName,
        action: rollout.action,
        championVersion: rollout.championVersion,
        challengerVersion: rollout.challengerVersion,
        automatic,
        decidedBy: rollout.decidedBy,
        reason: rollout.reason ?? rollout.verdictReason,
      },
      { source: 'governance', id: rollout.decisionId },
    );
    await this.outbox.enqueue(manager, 'mlops.governance.rollout-decided', event);
  }
}
