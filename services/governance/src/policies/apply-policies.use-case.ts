import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PolicyFile, PolicyPlan } from '@mlops/contracts';
import { planPolicies } from './policy-plan';
import { PolicyRepository } from './policy.repository';

/**
 * Plans or applies a policy file. A changed policy gets a new version, never an edit of the old one, so every
 * check result can name the exact policy it was judged by.
 */
@Injectable()
export class ApplyPolicies {
  constructor(
    private readonly dataSource: DataSource,
    private readonly policies: PolicyRepository,
  ) {}

  plan(file: PolicyFile): Promise<PolicyPlan> {
    return this.planWith(this.dataSource.manager, file);
  }

  /** Applies all of the file or, when any policy in it has a problem, none of it (400 naming each). */
  apply(file: PolicyFile, appliedBy: string): Promise<PolicyPlan> {
    return this.dataSource.transaction(async (manager) => {
      await this.policies.lockForApply(manager);
      const plan = await this.planWith(manager, file);
      if (plan.errors.length) throw new BadRequestException(plan.errors);
      for (const [i, change] of plan.changes.entries()) {
        if (change.action !== 'unchanged') await this.policies.insert(manager, file.policies[i], change.version, appliedBy);
      }
      return plan;
    });
  }

  private async planWith(manager: EntityManager, file: PolicyFile): Promise<PolicyPlan> {
    const inForce = await this.policies.inForce(manager, file.policies.map((p) => p.model));
    return planPolicies(file, inForce);
  }
}
