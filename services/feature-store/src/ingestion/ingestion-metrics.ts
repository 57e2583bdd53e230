import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

/** Per-view ingestion figures: what was written, what was rejected, and how far behind the topic the view is. */
@Injectable()
export class IngestionMetrics {
  readonly written: Counter<'view'>;
  readonly rejected: Counter<'view'>;
  private readonly lagRecords: Gauge<'view'>;
  readonly lagSeconds: Gauge<'view'>;
  /** Offsets still to read per view and topic partition; the gauge is their sum per view. */
  private readonly partitionLag = new Map<string, Map<string, number>>();

  constructor(registry: Registry) {
    this.written = new Counter({
      name: metricName('feature-store', 'ingested_records_total'),
      help: 'Records validated and written to the online and offline stores, per feature view',
      labelNames: ['view'],
      registers: [registry],
    });
    this.rejected = new Counter({
      name: metricName('feature-store', 'rejected_records_total'),
      help: 'Records that failed validation against a feature view and went to the dead-letter topic',
      labelNames: ['view'],
      registers: [registry],
    });
    this.lagRecords = new Gauge({
      name: metricName('feature-store', 'ingestion_lag_records'),
      help: 'Records on the source topic not yet ingested, per feature view',
      labelNames: ['view'],
      registers: [registry],
    });
    this.lagSeconds = new Gauge({
      name: metricName('feature-store', 'ingestion_lag_seconds'),
      help: 'Time between a record reaching Kafka and its ingestion, for the last batch of each feature view',
      labelNames: ['view'],
      registers: [registry],
    });
  }

  recordLag(view: string, partition: string, lag: number): void {
    const byPartition = this.partitionLag.get(view) ?? new Map<string, number>();
    byPartition.set(partition, lag);
    this.partitionLag.set(view, byPartition);
    let total = 0;
    for (const value of byPartition.values()) total += value;
    this.lagRecords.set({ view }, total);
  }
}
