import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { DeployModel } from '../deploy-model/deploy-model.use-case';
import { DeploymentRepository } from '../deployments/deployment.repository';
import { RegisteredModelRepository } from '../models/registered-model.repository';

const CONSUMER = 'apply-rollout-decision';

/**
 * Governance's answer to a rollout verdict, applied to the deployment it judged: a promotion makes the challenger
 * the sole champion, a rollback withdraws the challenger. A deployment that changed since the verdict (another
 * rollout, a revocation, someone's deploy) is left alone: the decision was about a state that no longer serves.
 */
@Injectable()
export class ApplyRolloutDecision {
  private readonly log: JsonLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly models: RegisteredModelRepository,
    private readonly deployments: DeploymentRepository,
    private readonly deployModel: DeployModel,
    logger: JsonLogger,
  ) {
    this.log = logger.child('ApplyRolloutDecision');
  }

  execute(event: PlatformEvent<'mlops.governance.rollout-decided'>): Promise<boolean> {
    const decision = event.data;
    return applyOnce(this.dataSource, 'registry', CONSUMER, event.id, async (manager) => {
      if (!(await this.models.lockExisting(manager, decision.modelName))) throw new NotFoundException(`model ${decision.modelName} does not exist`);
      const current = await this.deployments.currentOf(manager, decision.modelName);
      if (current?.champion?.version !== decision.championVersion || current.challenger?.version !== decision.challengerVersion) {
        const serving = current ? `champion ${current.champion?.version ?? 'none'}, challenger ${current.challenger?.version ?? 'none'}` : 'nothing';
        this.log.warn(
          `rollout ${decision.action} ${decision.decisionId} of ${decision.modelName} judged champion ${decision.championVersion} ` +
            `with challenger ${decision.challengerVersion}, but ${serving} serves now: left alone`,
        );
        return;
      }
      const champion = decision.action === 'promote' ? decision.challengerVersion : decision.championVersion;
      await this.deployModel.within(manager, decision.modelName, {
        champion,
        challenger: null,
        changedBy: `governance (${decision.decidedBy.join(', ')})`,
        reason: `rollout ${decision.action} of v${decision.challengerVersion}: ${decision.reason}`,
      });
    });
  }
}
