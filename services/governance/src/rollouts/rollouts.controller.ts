import { Controller } from '@nestjs/common';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { governanceRoutes as api, type RolloutRecord, type RouteBody, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { DecideRollout } from './decide-rollout.use-case';
import { RolloutRepository } from './rollout.repository';

@Controller()
export class RolloutsController {
  constructor(
    private readonly rollouts: RolloutRepository,
    private readonly decideRollout: DecideRollout,
  ) {}

  @ContractRoute(api.listRollouts)
  async list(@ContractQuery(api.listRollouts) { model }: RouteQuery<typeof api.listRollouts>): Promise<{ items: RolloutRecord[] }> {
    return { items: await this.rollouts.list(model) };
  }

  @ContractRoute(api.approveRollout)
  approve(
    @ContractParams(api.approveRollout) { id }: RouteParams<typeof api.approveRollout>,
    @ContractBody(api.approveRollout) { reason }: RouteBody<typeof api.approveRollout>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RolloutRecord> {
    return this.decideRollout.byReviewer(id, principal, 'approve', reason);
  }

  @ContractRoute(api.rejectRollout)
  reject(
    @ContractParams(api.rejectRollout) { id }: RouteParams<typeof api.rejectRollout>,
    @ContractBody(api.rejectRollout) { reason }: RouteBody<typeof api.rejectRollout>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RolloutRecord> {
    return this.decideRollout.byReviewer(id, principal, 'reject', reason);
  }
}
