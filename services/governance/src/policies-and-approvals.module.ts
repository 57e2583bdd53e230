import { Module } from '@nestjs/common';
import { ApprovalRepository } from './approvals/approval.repository';
import { ApprovalsController } from './approvals/approvals.controller';
import { DecideApproval } from './approvals/decide-approval.use-case';
import { RecheckApproval } from './approvals/recheck-approval.use-case';
import { MODEL_CARD_COMPLETENESS } from './checks/model-card-completeness';
import { RunPolicyChecks } from './checks/run-policy-checks';
import { ModelFactsRepository } from './facts/model-facts.repository';
import { PlatformFactsSubscriber } from './facts/platform-facts.subscriber';
import { RecordPlatformFacts } from './facts/record-platform-facts.use-case';
import { ApplyPolicies } from './policies/apply-policies.use-case';
import { PoliciesController } from './policies/policies.controller';
import { PolicyRepository } from './policies/policy.repository';
import { ModelCardRepository } from './model-cards/model-card.repository';
import { VersionCardCompleteness } from './model-cards/version-card-completeness';
import { DecideRollout } from './rollouts/decide-rollout.use-case';
import { RolloutRepository } from './rollouts/rollout.repository';
import { RolloutVerdictSubscriber } from './rollouts/rollout-verdict.subscriber';
import { RolloutsController } from './rollouts/rollouts.controller';

/** Policies, the checks they run on every registered version, approvals with separation of duties, and rollouts. */
@Module({
  controllers: [PoliciesController, ApprovalsController, RolloutsController],
  providers: [
    ModelFactsRepository,
    PolicyRepository,
    ApprovalRepository,
    RolloutRepository,
    ModelCardRepository,
    { provide: MODEL_CARD_COMPLETENESS, useClass: VersionCardCompleteness },
    ApplyPolicies,
    RunPolicyChecks,
    RecordPlatformFacts,
    DecideApproval,
    RecheckApproval,
    DecideRollout,
    PlatformFactsSubscriber,
    RolloutVerdictSubscriber,
  ],
})
export class PoliciesAndApprovalsModule {}

/** The Kafka edges of this module, for the service definition. */
export const policiesAndApprovalsSubscribers = [PlatformFactsSubscriber, RolloutVerdictSubscriber];
