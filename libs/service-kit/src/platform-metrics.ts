import { Counter, Gauge, Registry } from 'prom-client';
import type { ServiceName } from '@mlops/contracts';
import type { ConsumptionObserver, DeadLetterStage, OutboxRelay } from '@mlops/messaging';
import { checkReadiness, metricName, ReadinessProbe } from '@mlops/observability';

const DEAD_LETTER_STAGES: readonly DeadLetterStage[] = ['decode', 'apply'];

export interface ConsumptionMetrics extends ConsumptionObserver {
  /**
   * Puts every series of the subscribed topics at 0: the first dead letter must be an increase Prometheus sees,
   * which a series born at 1 is not.
   */
  subscribed(topics: readonly string[]): void;
}

/** Counts what happened to each consumed record, so dead letters and retries show up on dashboards and alerts. */
export function consumptionMetrics(service: ServiceName, registry: Registry): ConsumptionMetrics {
  const consumed = new Counter({
    name: metricName(service, 'events_consumed_total'),
    help: 'Consumed platform events by topic and outcome (handled, dead_lettered)',
    labelNames: ['topic', 'outcome'],
    registers: [registry],
  });
  const retried = new Counter({
    name: metricName(service, 'event_retries_total'),
    help: 'Handler attempts that failed and were retried',
    labelNames: ['topic'],
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: metricName(service, 'events_dead_lettered_total'),
    help: 'Records sent to the service dead-letter topic by source topic and stage (decode, apply)',
    labelNames: ['topic', 'stage'],
    registers: [registry],
  });
  const assigned = new Gauge({
    name: metricName(service, 'consumer_assigned_partitions'),
    help: 'Partitions each consumer group of the service holds in this process; 0 while it waits for an assignment (e.g. for a dead member to time out)',
    labelNames: ['group'],
    registers: [registry],
  });
  return {
    assigned: (group, partitions) => assigned.set({ group }, partitions),
    handled: (topic) => consumed.inc({ topic, outcome: 'handled' }),
    retried: (topic) => retried.inc({ topic }),
    deadLettered: (topic, stage) => {
      consumed.inc({ topic, outcome: 'dead_lettered' });
      deadLettered.inc({ topic, stage });
    },
    subscribed: (topics) => {
      for (const topic of topics) {
        for (const outcome of ['handled', 'dead_lettered']) consumed.inc({ topic, outcome }, 0);
        for (const stage of DEAD_LETTER_STAGES) deadLettered.inc({ topic, stage }, 0);
      }
    },
  };
}

/** 1 while a dependency answers, probed at scrape time so alerts see the same truth as /health/ready. */
export function registerDependencyGauge(service: ServiceName, registry: Registry, probes: readonly ReadinessProbe[]): void {
  new Gauge({
    name: metricName(service, 'dependency_up'),
    help: 'Whether a dependency (kafka, postgres, s3) answered its readiness probe',
    labelNames: ['dependency'],
    registers: [registry],
    async collect() {
      const report = await checkReadiness(probes, { timeoutMs: 2000 });
      for (const [dependency, check] of Object.entries(report.checks)) this.set({ dependency }, check.status === 'up' ? 1 : 0);
    },
  });
}

export function registerOutboxGauge(service: ServiceName, registry: Registry, relay: OutboxRelay, isUp: () => boolean): void {
  new Gauge({
    name: metricName(service, 'outbox_pending_events'),
    help: 'Events written to the outbox and not yet published to Kafka',
    registers: [registry],
    async collect() {
      if (isUp()) this.set(await relay.pending().catch(() => -1));
    },
  });
}
