import { Controller } from '@nestjs/common';
import { monitorRoutes as api, type RouteParams, type RouteQuery, type RouteResponse } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { MonitoringResultsRepository } from '../results/monitoring-results.repository';
import { RetrainingRepository } from '../retraining/retraining.repository';

type Name = RouteParams<typeof api.drift>;
type History = RouteQuery<typeof api.drift>;

@Controller()
export class HistoryController {
  constructor(
    private readonly results: MonitoringResultsRepository,
    private readonly retraining: RetrainingRepository,
  ) {}

  @ContractRoute(api.drift)
  async drift(@ContractParams(api.drift) { name }: Name, @ContractQuery(api.drift) query: History): Promise<RouteResponse<typeof api.drift>> {
    return { items: await this.results.drift({ modelName: name, ...query }) };
  }

  @ContractRoute(api.performance)
  async performance(
    @ContractParams(api.performance) { name }: Name,
    @ContractQuery(api.performance) query: History,
  ): Promise<RouteResponse<typeof api.performance>> {
    return { items: await this.results.performance({ modelName: name, ...query }) };
  }

  @ContractRoute(api.rollouts)
  async rollouts(@ContractParams(api.rollouts) { name }: Name, @ContractQuery(api.rollouts) query: History): Promise<RouteResponse<typeof api.rollouts>> {
    return { items: await this.results.verdicts({ modelName: name, ...query }) };
  }

  @ContractRoute(api.retraining)
  async retrainingHistory(
    @ContractParams(api.retraining) { name }: Name,
    @ContractQuery(api.retraining) { limit }: History,
  ): Promise<RouteResponse<typeof api.retraining>> {
    return this.retraining.history(name, limit);
  }
}
