import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Approval } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { ModelFactsRepository } from '../facts/model-facts.repository';
import { approvalDecidedEvent } from './approval-events';
import { ApprovalRepository, LockedApproval } from './approval.repository';
import { Reviewer, separationOfDutiesViolation, VersionParties } from './separation-of-duties';

export type Decision = 'approve' | 'reject' | 'revoke';

/**
 * A person's decision on a version's approval request. Decisions on one request take its row lock in turn, so two
 * approvers deciding at once produce one outcome: the second sees the first's and either completes it (the second
 * of two approvals a high-risk version needs) or is refused.
 */
@Injectable()
export class DecideApproval {
  constructor(
    private readonly dataSource: DataSource,
    private readonly approvals: ApprovalRepository,
    private readonly facts: ModelFactsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(modelName: string, version: number, reviewer: Reviewer, decision: Decision, reason: string): Promise<Approval> {
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const approval = await this.approvals.lock(manager, modelName, version);
      if (!approval) throw new NotFoundException(`version ${version} of ${modelName} has no approval request`);
      if (decision === 'revoke') await this.revoke(manager, approval, reviewer, reason);
      else if (decision === 'reject') await this.reject(manager, approval, reviewer, reason);
      else await this.approve(manager, approval, reviewer, reason);
    });
    return (await this.approvals.find(modelName, version)) as Approval;
  }

  private async approve(manager: EntityManager, approval: LockedApproval, reviewer: Reviewer, reason: string): Promise<void> {
    assertPending(approval, 'approve');
    if (approval.failedChecks.length) {
      throw new ConflictException(
        `version ${approval.version} of ${approval.modelName} failed ${approval.failedChecks.join(', ')}; it cannot be approved unless a recheck passes`,
      );
    }
    const violation = separationOfDutiesViolation(reviewer, await this.parties(manager, approval), approval.approvers.map((a) => a.id));
    if (violation) throw new ForbiddenException(violation);
    await this.approvals.recordDecision(manager, approval.approvalId, { reviewerId: reviewer.id, reviewer: reviewer.name, decision: 'approve', reason, automatic: false });
    const approvers = [...approval.approvers.map((a) => a.name), reviewer.name];
    if (approvers.length < approval.requiredApprovals) return;
    await this.approvals.setStatus(manager, approval.approvalId, 'Approved');
    await this.announce(manager, approval, 'approved', approvers, reason);
  }

  private async reject(manager: EntityManager, approval: LockedApproval, reviewer: Reviewer, reason: string): Promise<void> {
    assertPending(approval, 'reject');
    await this.approvals.recordDecision(manager, approval.approvalId, { reviewerId: reviewer.id, reviewer: reviewer.name, decision: 'reject', reason, automatic: false });
    await this.approvals.setStatus(manager, approval.approvalId, 'Rejected');
    await this.announce(manager, approval, 'rejected', [reviewer.name], reason);
  }

  /** Withdrawing an approval only lowers risk, so any approver may do it, whoever had a hand in the version. */
  private async revoke(manager: EntityManager, approval: LockedApproval, reviewer: Reviewer, reason: string): Promise<void> {
    if (approval.status !== 'Approved') {
      throw new ConflictException(`version ${approval.version} of ${approval.modelName} is ${approval.status}; only an approved version can be revoked`);
    }
    await this.approvals.recordDecision(manager, approval.approvalId, { reviewerId: reviewer.id, reviewer: reviewer.name, decision: 'revoke', reason, automatic: false });
    await this.approvals.setStatus(manager, approval.approvalId, 'Revoked');
    await this.announce(manager, approval, 'revoked', [reviewer.name], reason);
  }

  /**
   * The people who had a hand in the version. A trained version whose training request governance has not seen
   * yet cannot be judged fairly, so it cannot be approved until it has.
   */
  private async parties(manager: EntityManager, approval: LockedApproval): Promise<VersionParties> {
    const facts = await this.facts.version(manager, approval.modelName, approval.version);
    if (!facts) throw new Error(`approval ${approval.approvalId} exists without the facts of its version`);
    const run = facts.runId ? await this.facts.run(manager, facts.runId) : null;
    const requestedBy = run ? await this.facts.requester(manager, run.requestId) : null;
    if (requestedBy === undefined) {
      throw new ConflictException(`governance has not seen the training request of version ${approval.version} yet; try again shortly`);
    }
    return { requestedBy, registeredBy: facts.registeredBy, owner: facts.owner };
  }

  private async announce(manager: EntityManager, approval: LockedApproval, decision: 'approved' | 'rejected' | 'revoked', decidedBy: string[], reason: string) {
    const event = approvalDecidedEvent({
      approvalId: approval.approvalId,
      modelName: approval.modelName,
      version: approval.version,
      decision,
      automatic: false,
      decidedBy,
      reason,
    });
    await this.outbox.enqueue(manager, 'mlops.governance.approval-decided', event);
  }
}

function assertPending(approval: LockedApproval, decision: Decision): void {
  if (approval.status === 'PendingManualApproval') return;
  throw new ConflictException(
    `version ${approval.version} of ${approval.modelName} is ${approval.status} already (since ${approval.decidedAt}); it takes no ${decision}`,
  );
}
