import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricName } from '@mlops/observability';

const OUTCOMES = ['completed', 'failed'] as const;

/**
 * Runs by algorithm and outcome, how long the completed ones trained, and the requests waiting for a runner:
 * the training dashboard's series.
 */
@Injectable()
export class TrainingMetrics {
  private readonly runs: Counter<'algorithm' | 'outcome'>;
  private readonly duration: Histogram<'algorithm'>;
  private readonly queued: Gauge;

  constructor(registry: Registry) {
    this.runs = new Counter({
      name: metricName('trainer', 'runs_total'),
      help: 'Training requests finished, by algorithm and outcome (completed, failed once its attempts ran out)',
      labelNames: ['algorithm', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: metricName('trainer', 'run_duration_seconds'),
      help: 'Time a completed run trained, from dataset to recorded model',
      labelNames: ['algorithm'],
      buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    });
    this.queued = new Gauge({
      name: metricName('trainer', 'training_jobs_queued'),
      help: 'Training requests recorded and waiting for a runner (new or retrying), as an instance last counted them',
      registers: [registry],
    });
  }

  completed(algorithm: string, durationMs: number): void {
    this.runs.inc({ algorithm, outcome: OUTCOMES[0] });
    this.duration.observe({ algorithm }, durationMs / 1000);
  }

  failed(algorithm: string): void {
    this.runs.inc({ algorithm, outcome: OUTCOMES[1] });
  }

  jobsQueued(count: number): void {
    this.queued.set(count);
  }
}
