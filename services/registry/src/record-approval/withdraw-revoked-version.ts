import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeployModel } from '../deploy-model/deploy-model.use-case';
import { DeploymentRepository } from '../deployments/deployment.repository';

export interface Revocation {
  modelName: string;
  version: number;
  decidedBy: string[];
  reason: string;
}

/**
 * Takes a version whose approval was revoked out of serving, in the transaction that records the revocation: as
 * challenger it is withdrawn; as champion the model falls back to its last champion that is still approved (or
 * stops serving when there is none), without any challenger.
 */
@Injectable()
export class WithdrawRevokedVersion {
  constructor(
    private readonly deployments: DeploymentRepository,
    private readonly deployModel: DeployModel,
  ) {}

  async within(manager: EntityManager, revocation: Revocation): Promise<void> {
    const { modelName, version } = revocation;
    const current = await this.deployments.currentOf(manager, modelName);
    const changedBy = `governance (${revocation.decidedBy.join(', ')})`;
    const why = `approval of v${version} revoked: ${revocation.reason}`;
    if (current?.champion?.version === version) {
      const fallback = await this.deployments.lastApprovedChampion(manager, modelName);
      const reason = fallback ? `${why}; back to v${fallback}, the last approved champion` : `${why}; no approved champion to fall back to`;
      await this.deployModel.within(manager, modelName, { champion: fallback, challenger: null, changedBy, reason });
    } else if (current?.challenger?.version === version) {
      await this.deployModel.within(manager, modelName, { champion: current.champion?.version ?? null, challenger: null, changedBy, reason: `${why}; challenger withdrawn` });
    }
  }
}
