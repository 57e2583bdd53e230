import { Controller, NotFoundException } from '@nestjs/common';
import { registryRoutes as api, type RouteBody, type RouteParams, type RouteQuery, type RouteResponse } from '@mlops/contracts';
import { CurrentPrincipal, Principal } from '@mlops/auth';
import { ContractBody, ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { DeploymentRepository } from '../deployments/deployment.repository';
import { DeployModel } from './deploy-model.use-case';

@Controller()
export class DeploymentsController {
  constructor(
    private readonly deployModel: DeployModel,
    private readonly deployments: DeploymentRepository,
  ) {}

  @ContractRoute(api.deploy)
  async deploy(
    @ContractParams(api.deploy) { name }: RouteParams<typeof api.deploy>,
    @ContractBody(api.deploy) request: RouteBody<typeof api.deploy>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<RouteResponse<typeof api.deploy>> {
    return this.deployModel.execute(name, { ...request, changedBy: caller.name });
  }

  @ContractRoute(api.currentDeployments)
  async current(): Promise<RouteResponse<typeof api.currentDeployments>> {
    return { items: await this.deployments.current() };
  }

  @ContractRoute(api.deploymentHistory)
  async history(
    @ContractParams(api.deploymentHistory) { name }: RouteParams<typeof api.deploymentHistory>,
    @ContractQuery(api.deploymentHistory) { at }: RouteQuery<typeof api.deploymentHistory>,
  ): Promise<RouteResponse<typeof api.deploymentHistory>> {
    if (at === undefined) return { items: await this.deployments.history(name) };
    const when = new Date(at);
    const serving = await this.deployments.servingAt(name, when);
    if (!serving) throw new NotFoundException(`nothing served model ${name} at ${when.toISOString()}`);
    return { items: [serving] };
  }
}
