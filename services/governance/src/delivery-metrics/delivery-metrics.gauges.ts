import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import type { DeliveryMetrics, DeliveryMetricsResponse } from '@mlops/contracts';
import { metricName } from '@mlops/observability';
import { ComputeDeliveryMetrics } from './compute-delivery-metrics.use-case';

const WINDOW_DAYS = 30;
const FAILURE_WINDOW_HOURS = 24;
/** Scrapes within this long share one computation. */
const CACHE_MS = 30_000;
/** The platform-wide series; '*' is no model name (names are slugs). */
const PLATFORM = '*';

const GAUGES: { thing: string; help: string; value: (m: DeliveryMetrics) => number | null }[] = [
  { thing: 'deployment_frequency_per_day', help: 'Champion changes per day', value: (m) => m.deploymentsPerDay },
  { thing: 'lead_time_median_seconds', help: 'Median time from training request to serving', value: (m) => m.leadTime.medianSeconds },
  { thing: 'change_failure_ratio', help: 'Share of changes rolled back or degraded within 24 h', value: (m) => m.changeFailure.rate },
  { thing: 'time_to_restore_median_seconds', help: 'Median time from a degradation to the version no longer serving', value: (m) => m.timeToRestore.medianSeconds },
  { thing: 'open_incidents', help: 'Degradations whose version still serves', value: (m) => m.timeToRestore.open },
];

/** DORA's keys over the last 30 days as gauges per model (model="*" for the platform), computed at scrape time. */
@Injectable()
export class DeliveryMetricsGauges implements OnModuleInit {
  private cached: { at: number; result: Promise<DeliveryMetricsResponse> } | null = null;

  constructor(
    private readonly registry: Registry,
    private readonly computeDeliveryMetrics: ComputeDeliveryMetrics,
  ) {}

  onModuleInit(): void {
    const latest = () => this.latest();
    for (const gauge of GAUGES) {
      new Gauge({
        name: metricName('governance', gauge.thing),
        help: `${gauge.help}, over the last ${WINDOW_DAYS} days`,
        labelNames: ['model'],
        registers: [this.registry],
        async collect() {
          this.reset();
          const result = await latest().catch(() => null);
          if (!result) return;
          for (const [model, metrics] of [[PLATFORM, result.platform] as const, ...result.models.map((m) => [m.modelName, m] as const)]) {
            const value = gauge.value(metrics);
            if (value !== null) this.set({ model }, value);
          }
        },
      });
    }
  }

  private latest(): Promise<DeliveryMetricsResponse> {
    if (!this.cached || Date.now() - this.cached.at > CACHE_MS) {
      const to = new Date();
      const from = new Date(to.getTime() - WINDOW_DAYS * 86_400_000);
      this.cached = { at: Date.now(), result: this.computeDeliveryMetrics.execute({ from, to, failureWindowHours: FAILURE_WINDOW_HOURS }) };
    }
    return this.cached.result;
  }
}
