import { Injectable } from '@nestjs/common';
import type { DeliveryMetrics, DeliveryMetricsResponse } from '@mlops/contracts';
import { EventHistoryReader } from '../audit-log/event-history';
import { DELIVERY_TOPICS, deliveryFactsOf } from './delivery-facts';
import { computeDeliveryMetrics } from './delivery-metrics';

export interface DeliveryQuery {
  from: Date;
  to: Date;
  failureWindowHours: number;
}

/** Deployment frequency, lead time, change failure rate and time to restore, from the chained lifecycle events. */
@Injectable()
export class ComputeDeliveryMetrics {
  constructor(private readonly eventHistory: EventHistoryReader) {}

  /** Every model's and the platform's; `modelName` narrows the models to one (the platform is then that model). */
  async execute(query: DeliveryQuery, modelName: string | null = null): Promise<DeliveryMetricsResponse> {
    // Lead times reach back before the window (the training request precedes the deployment), so the history does too.
    const history = await this.eventHistory.read(modelName, DELIVERY_TOPICS, query.to);
    const { platform, models } = computeDeliveryMetrics(deliveryFactsOf(history), {
      from: query.from,
      to: query.to,
      failureWindowMs: query.failureWindowHours * 3600_000,
    });
    return {
      from: query.from.toISOString(),
      to: query.to.toISOString(),
      failureWindowHours: query.failureWindowHours,
      platform,
      models: [...models].map(([name, metrics]): DeliveryMetrics & { modelName: string } => ({ modelName: name, ...metrics })),
    };
  }
}
