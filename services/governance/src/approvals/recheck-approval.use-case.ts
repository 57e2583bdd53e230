import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Approval } from '@mlops/contracts';
import { RunPolicyChecks } from '../checks/run-policy-checks';
import { ModelFactsRepository } from '../facts/model-facts.repository';
import { ApprovalRepository } from './approval.repository';

/**
 * Judges a pending version again, by the policy in force now and the facts known now (a card completed since, a
 * new champion): a new round of check results, kept beside the earlier ones. A minimal-risk version that now passes
 * everything is approved by the policy, as it would have been at first.
 */
@Injectable()
export class RecheckApproval {
  constructor(
    private readonly dataSource: DataSource,
    private readonly approvals: ApprovalRepository,
    private readonly facts: ModelFactsRepository,
    private readonly checks: RunPolicyChecks,
  ) {}

  async execute(modelName: string, version: number): Promise<Approval> {
    await this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const approval = await this.approvals.lock(manager, modelName, version);
      if (!approval) throw new NotFoundException(`version ${version} of ${modelName} has no approval request`);
      if (approval.status !== 'PendingManualApproval') {
        throw new ConflictException(`version ${version} of ${modelName} is ${approval.status}; only a pending version is checked again`);
      }
      const facts = await this.facts.version(manager, modelName, version);
      if (!facts) throw new Error(`approval ${approval.approvalId} exists without the facts of its version`);
      const run = facts.runId ? await this.facts.run(manager, facts.runId) : null;
      const { policy, checks, opening } = await this.checks.evaluate(manager, facts, run);
      await this.approvals.recordRound(manager, approval.approvalId, approval.checkRound + 1, checks, {
        riskTier: policy.definition.riskTier,
        policyVersion: policy.version,
        requiredApprovals: opening.requiredApprovals,
      });
      if (opening.status === 'PendingManualApproval') return;
      await this.approvals.setStatus(manager, approval.approvalId, opening.status);
      await this.checks.decideAutomatically(manager, approval, opening);
    });
    return (await this.approvals.find(modelName, version)) as Approval;
  }
}
