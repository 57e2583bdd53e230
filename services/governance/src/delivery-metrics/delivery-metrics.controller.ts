import { Controller } from '@nestjs/common';
import { type DeliveryMetricsResponse, governanceRoutes as api, type RouteParams, type RouteQuery } from '@mlops/contracts';
import { ContractParams, ContractQuery, ContractRoute } from '@mlops/service-kit';
import { ComputeDeliveryMetrics, DeliveryQuery } from './compute-delivery-metrics.use-case';

const DEFAULT_DAYS = 30;

function deliveryQuery(query: RouteQuery<typeof api.platformDeliveryMetrics>): DeliveryQuery {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  return { from, to, failureWindowHours: query.failureWindowHours };
}

@Controller()
export class DeliveryMetricsController {
  constructor(private readonly computeDeliveryMetrics: ComputeDeliveryMetrics) {}

  @ContractRoute(api.platformDeliveryMetrics)
  platform(@ContractQuery(api.platformDeliveryMetrics) query: RouteQuery<typeof api.platformDeliveryMetrics>): Promise<DeliveryMetricsResponse> {
    return this.computeDeliveryMetrics.execute(deliveryQuery(query));
  }

  @ContractRoute(api.modelDeliveryMetrics)
  model(
    @ContractParams(api.modelDeliveryMetrics) { name }: RouteParams<typeof api.modelDeliveryMetrics>,
    @ContractQuery(api.modelDeliveryMetrics) query: RouteQuery<typeof api.modelDeliveryMetrics>,
  ): Promise<DeliveryMetricsResponse> {
    return this.computeDeliveryMetrics.execute(deliveryQuery(query), name);
  }
}
