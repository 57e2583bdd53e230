import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from '@mlops/messaging';
import { approvalDecidedEvent, approvalRequestedEvent } from '../approvals/approval-events';
import { ApprovalRepository, NewApproval } from '../approvals/approval.repository';
import { Opening, openingOf } from '../approvals/approval-rules';
import type { RunFacts, VersionFacts } from '../facts/model-facts';
import { ModelFactsRepository } from '../facts/model-facts.repository';
import { EffectivePolicy, effectivePolicy } from '../policies/effective-policy';
import { PolicyRepository } from '../policies/policy.repository';
import type { CheckOutcome } from './check-outcome';
import { MODEL_CARD_COMPLETENESS, ModelCardCompleteness } from './model-card-completeness';
import { evaluatePolicy } from './policy-evaluation';

export interface Evaluation {
  policy: EffectivePolicy;
  checks: CheckOutcome[];
  opening: Opening;
}

/** The automatic decision's reviewer: the policy itself. */
export const POLICY_REVIEWER = { id: 'policy', name: 'policy' };

/**
 * Judges a registered version by its model's policy and opens its approval request, announcing it, and the
 * decision when the platform may take it alone, through the outbox in the caller's transaction.
 */
@Injectable()
export class RunPolicyChecks {
  constructor(
    private readonly facts: ModelFactsRepository,
    private readonly policies: PolicyRepository,
    private readonly approvals: ApprovalRepository,
    private readonly outbox: OutboxWriter,
    @Inject(MODEL_CARD_COMPLETENESS) private readonly cards: ModelCardCompleteness,
  ) {}

  /**
   * Called whenever a fact a version's checks need arrives; acts once the version and (for a trained one) its run
   * are both known. The per-model lock makes the later of two racing facts see the earlier one committed.
   */
  async openWhenReady(manager: EntityManager, modelName: string, version: number): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`governance.approvals:${modelName}`]);
    if (await this.approvals.exists(manager, modelName, version)) return;
    const facts = await this.facts.version(manager, modelName, version);
    if (!facts) return;
    const run = facts.runId ? await this.facts.run(manager, facts.runId) : null;
    if (facts.runId && !run) return;
    const { policy, checks, opening } = await this.evaluate(manager, facts, run);
    const approval: NewApproval = {
      approvalId: randomUUID(),
      modelName,
      version,
      riskTier: policy.definition.riskTier,
      policyVersion: policy.version,
      status: opening.status,
      requiredApprovals: opening.requiredApprovals,
      requestedBy: (run ? await this.facts.requester(manager, run.requestId) : undefined) ?? facts.registeredBy ?? facts.owner ?? 'registry',
    };
    if (!(await this.approvals.open(manager, approval, checks))) return;
    await this.outbox.enqueue(manager, 'mlops.governance.approval-requested', approvalRequestedEvent(approval, checks));
    await this.decideAutomatically(manager, approval, opening);
  }

  async evaluate(manager: EntityManager, facts: VersionFacts, run: RunFacts | null): Promise<Evaluation> {
    const policy = effectivePolicy(await this.policies.inForceFor(manager, facts.modelName), facts);
    const champion = await this.facts.servingChampion(manager, facts.modelName);
    const tier = policy.definition.riskTier;
    // A prohibited model fails its risk-tier check whatever its card says; its card is judged as a high-risk one's.
    const card = await this.cards.assess(manager, facts, tier === 'prohibited' ? 'high' : tier);
    const checks = evaluatePolicy({ policy, version: facts, run, champion, card });
    return { policy, checks, opening: openingOf(policy.definition.riskTier, checks) };
  }

  /** Records and announces the decision the opening allows the platform to take alone, if any. */
  async decideAutomatically(manager: EntityManager, approval: Pick<NewApproval, 'approvalId' | 'modelName' | 'version'>, opening: Opening) {
    if (opening.status === 'PendingManualApproval') return;
    const approved = opening.status === 'Approved';
    const reason = opening.reason;
    await this.approvals.recordDecision(manager, approval.approvalId, {
      reviewerId: POLICY_REVIEWER.id,
      reviewer: POLICY_REVIEWER.name,
      decision: approved ? 'approve' : 'reject',
      reason,
      automatic: true,
    });
    const decided = approvalDecidedEvent({
      approvalId: approval.approvalId,
      modelName: approval.modelName,
      version: approval.version,
      decision: approved ? 'approved' : 'rejected',
      automatic: true,
      decidedBy: [POLICY_REVIEWER.name],
      reason,
    });
    await this.outbox.enqueue(manager, 'mlops.governance.approval-decided', decided);
  }
}
