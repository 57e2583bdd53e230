import { Controller } from '@nestjs/common';
import { monitorRoutes as api, type MonitoringPolicy, type RouteBody, type RouteParams } from '@mlops/contracts';
import { ContractBody, ContractParams, ContractRoute } from '@mlops/service-kit';
import { PolicyRepository } from '../policies/policy.repository';
import { MonitoredModels } from '../references/monitored-models';

@Controller()
export class PolicyController {
  constructor(
    private readonly policies: PolicyRepository,
    private readonly models: MonitoredModels,
  ) {}

  @ContractRoute(api.setPolicy)
  async set(
    @ContractParams(api.setPolicy) { name }: RouteParams<typeof api.setPolicy>,
    @ContractBody(api.setPolicy) policy: RouteBody<typeof api.setPolicy>,
  ): Promise<MonitoringPolicy> {
    await this.policies.save(name, policy);
    this.models.setPolicy(name, policy);
    return policy;
  }

  @ContractRoute(api.getPolicy)
  get(@ContractParams(api.getPolicy) { name }: RouteParams<typeof api.getPolicy>): MonitoringPolicy {
    return this.models.policy(name);
  }
}
