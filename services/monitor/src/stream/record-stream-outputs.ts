import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { createEvent, DriftWindowResult, FeatureDrift, PerformanceWindowResult, PlatformEvent, WindowResultHeader } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { MonitorMetrics } from '../metrics/monitor-metrics';
import { defaultMetric, degradedBeyond } from '../performance/realised-metrics';
import { windowReportHtml } from '../reports/window-report';
import { MonitoringResultsRepository } from '../results/monitoring-results.repository';
import { RetrainingCause, TriggerRetraining } from '../retraining/trigger-retraining';
import { stableEventId } from './stable-event-id';
import type { ClosedWindow, FinalizedPerformance, PredictionAlarm, RolloutOutcome, StreamOutputs } from './stream-outputs';

const iso = (ms: number) => new Date(ms).toISOString();

/** What the stream concluded, turned into rows, reports and events (and retraining decisions) of one checkpoint. */
export interface PreparedOutputs {
  drift: { result: DriftWindowResult; closed: ClosedWindow }[];
  estimated: { result: PerformanceWindowResult; closed: ClosedWindow }[];
  outputs: StreamOutputs;
}

@Injectable()
export class RecordStreamOutputs {
  constructor(
    private readonly results: MonitoringResultsRepository,
    private readonly outbox: OutboxWriter,
    private readonly triggers: TriggerRetraining,
    private readonly store: ObjectStore,
    private readonly metrics: MonitorMetrics,
  ) {}

  /**
   * Before the transaction: reports go to MinIO under keys named by their window, so a checkpoint retried after a
   * crash overwrites the same objects instead of leaving strays.
   */
  async prepare(outputs: StreamOutputs, now: Date): Promise<PreparedOutputs> {
    const drift = outputs.closed.map((closed) => ({ result: driftResult(closed, now), closed }));
    const estimated = outputs.closed.map((closed) => ({ result: estimatedResult(closed), closed }));
    for (const [i, { result }] of drift.entries()) {
      if (!result.drifted) continue;
      const key = `monitor/${result.modelName}/${result.version}/${result.role}/window-${drift[i].closed.window.seq}`;
      const report = { drift: result, performance: estimated[i].result };
      const json = await this.store.putBuffer(BUCKETS.reports, `${key}.json`, Buffer.from(JSON.stringify(report, null, 2)), { contentType: 'application/json' });
      await this.store.putBuffer(BUCKETS.reports, `${key}.html`, Buffer.from(windowReportHtml(report)), { contentType: 'text/html; charset=utf-8' });
      result.reportUri = json.uri;
    }
    return { drift, estimated, outputs };
  }

  async write(manager: EntityManager, prepared: PreparedOutputs, now: Date): Promise<void> {
    for (const { result, closed } of prepared.drift) {
      await this.results.saveDrift(manager, result);
      await this.publishDrift(manager, result, closed, now);
    }
    for (const { result, closed } of prepared.estimated) {
      await this.results.saveEstimated(manager, result, now);
      await this.publishEstimatedDegradation(manager, result, closed, now);
    }
    for (const performance of prepared.outputs.performance) await this.recordRealised(manager, performance, now);
    for (const alarm of prepared.outputs.alarms) await this.publishAlarm(manager, alarm);
    for (const rollout of prepared.outputs.rollouts) await this.publishVerdict(manager, rollout, now);
  }

  /** After the commit: gauges show only what is stored. */
  observe(prepared: PreparedOutputs): void {
    for (const { result } of prepared.drift) this.metrics.recordDrift(result);
    for (const { result, closed } of prepared.estimated) this.metrics.recordEstimate(result, scoreMean(closed));
    for (const p of prepared.outputs.performance) this.metrics.recordRealised(p.modelName, p.version, p.role, p.metrics);
  }

  private async publishDrift(manager: EntityManager, result: DriftWindowResult, closed: ClosedWindow, now: Date): Promise<void> {
    const common = { modelName: result.modelName, version: result.version, window: result.window, role: result.role, windowId: result.windowId, ...(result.reportUri ? { reportUri: result.reportUri } : {}) };
    const driftedFeatures = result.features.filter((f) => f.drifted);
    if (driftedFeatures.length > 0 && result.dataset) {
      const severity = result.dataset.drifted ? 'critical' : 'warning';
      const event = createEvent('mlops.monitor.drift-detected', { ...common, kind: 'data', features: result.features, severity, dataset: result.dataset }, { source: 'monitor', id: stableEventId(`drift:data:${result.windowId}`), time: now });
      await this.outbox.enqueue(manager, 'mlops.monitor.drift-detected', event);
      if (severity === 'critical') {
        const summary = `data drift in ${driftedFeatures.length} of ${result.features.length} features (${driftedFeatures.map((f) => f.feature).join(', ')}) in window ${result.windowId}`;
        await this.triggerFor(manager, closed.window.key.modelName, closed.policy, { kind: 'drift', event, summary }, now);
      }
    }
    if (result.predictions.some((f) => f.drifted)) {
      const event = createEvent('mlops.monitor.drift-detected', { ...common, kind: 'prediction', features: result.predictions, severity: 'warning' }, { source: 'monitor', id: stableEventId(`drift:prediction:${result.windowId}`), time: now });
      await this.outbox.enqueue(manager, 'mlops.monitor.drift-detected', event);
    }
  }

  private async publishEstimatedDegradation(manager: EntityManager, result: PerformanceWindowResult, closed: ClosedWindow, now: Date): Promise<void> {
    if (!result.estimated || !result.baseline) return;
    const policy = closed.policy.performance;
    for (const [metric, estimate] of [['accuracy', result.estimated.accuracy], ['auc', result.estimated.rocAuc]] as const) {
      const baseline = result.baseline[metric];
      // Only when even the band's optimistic end is worse than allowed: an estimate must not cry wolf on its noise.
      if (baseline === undefined || !Number.isFinite(estimate.value) || !degradedBeyond(metric, estimate.upper, baseline, policy.maxDegradation)) continue;
      const event = createEvent(
        'mlops.monitor.performance-degraded',
        { modelName: result.modelName, version: result.version, metric, value: estimate.value, baseline, threshold: policy.maxDegradation, window: result.window, role: result.role, windowId: result.windowId, estimated: true, sampleSize: result.rows },
        { source: 'monitor', id: stableEventId(`estimated:${metric}:${result.windowId}`), time: now },
      );
      await this.outbox.enqueue(manager, 'mlops.monitor.performance-degraded', event);
      await this.triggerFor(manager, closed.window.key.modelName, closed.policy, { kind: 'performance', event, summary: `estimated ${metric} ${estimate.value.toFixed(4)} (band up to ${estimate.upper.toFixed(4)}) against ${baseline.toFixed(4)} on the holdout in window ${result.windowId}` }, now);
    }
  }

  private async recordRealised(manager: EntityManager, performance: FinalizedPerformance, now: Date): Promise<void> {
    await this.results.saveRealised(manager, performance.windowId, performance.metrics, performance.labelled, performance.joinable, now);
    const policy = performance.policy.performance;
    const metric = policy.metric ?? defaultMetric(performance.metrics.rmse !== undefined ? 'regression' : 'classification');
    const value = performance.metrics[metric];
    const baseline = performance.baseline?.[metric];
    if (value === undefined || baseline === undefined || performance.labelled < policy.minLabels) return;
    if (!degradedBeyond(metric, value, baseline, policy.maxDegradation)) return;
    const event = createEvent(
      'mlops.monitor.performance-degraded',
      { modelName: performance.modelName, version: performance.version, metric, value, baseline, threshold: policy.maxDegradation, window: { from: iso(performance.fromMs), to: iso(performance.toMs) }, role: performance.role, windowId: performance.windowId, estimated: false, sampleSize: performance.labelled },
      { source: 'monitor', id: stableEventId(`realised:${metric}:${performance.windowId}`), time: now },
    );
    await this.outbox.enqueue(manager, 'mlops.monitor.performance-degraded', event);
    const summary = `realised ${metric} ${value.toFixed(4)} against ${baseline.toFixed(4)} on the holdout over ${performance.labelled} labelled predictions of window ${performance.windowId}`;
    await this.triggerFor(manager, performance.modelName, performance.policy, { kind: 'performance', event, summary }, now);
  }

  private async publishAlarm(manager: EntityManager, alarm: PredictionAlarm): Promise<void> {
    const at = iso(alarm.atMs);
    const feature: FeatureDrift = { feature: 'prediction_mean', test: 'page_hinkley', statistic: alarm.statistic, pValue: null, threshold: alarm.threshold, drifted: true };
    const event = createEvent(
      'mlops.monitor.drift-detected',
      { modelName: alarm.modelName, version: alarm.version, kind: 'prediction', window: { from: at, to: at }, features: [feature], severity: 'warning', role: alarm.role },
      { source: 'monitor', id: stableEventId(`page-hinkley:${alarm.modelName}:${alarm.version}:${alarm.role}:${alarm.atMs}:${alarm.observations}`), time: new Date(alarm.atMs) },
    );
    await this.outbox.enqueue(manager, 'mlops.monitor.drift-detected', event);
  }

  private async publishVerdict(manager: EntityManager, rollout: RolloutOutcome, now: Date): Promise<void> {
    const window = { from: iso(rollout.fromMs), to: iso(rollout.toMs) };
    const { modelName, championVersion, challengerVersion, verdict, reason, evidence, championMetrics, challengerMetrics } = rollout;
    await this.results.saveVerdict(manager, { modelName, championVersion, challengerVersion, verdict, reason, evidence, window, decidedAt: now.toISOString() });
    const event = createEvent(
      'mlops.monitor.rollout-verdict',
      { modelName, championVersion, challengerVersion, verdict, championMetrics, challengerMetrics, reason, window, evidence },
      { source: 'monitor', id: stableEventId(`rollout:${modelName}:${championVersion}:${challengerVersion}:${rollout.toMs}`), time: now },
    );
    await this.outbox.enqueue(manager, 'mlops.monitor.rollout-verdict', event);
  }

  private async triggerFor(
    manager: EntityManager,
    modelName: string,
    policy: ClosedWindow['policy'],
    cause: { kind: RetrainingCause['kind']; event: PlatformEvent<'mlops.monitor.drift-detected'> | PlatformEvent<'mlops.monitor.performance-degraded'>; summary: string },
    now: Date,
  ): Promise<void> {
    const topic = cause.kind === 'drift' ? 'mlops.monitor.drift-detected' : 'mlops.monitor.performance-degraded';
    await this.triggers.execute(manager, policy, { modelName, kind: cause.kind, eventId: cause.event.id, topic, summary: cause.summary }, now);
  }
}

function windowHeader({ window }: ClosedWindow): WindowResultHeader {
  return {
    windowId: window.id,
    modelName: window.key.modelName,
    version: window.key.version,
    role: window.key.role,
    window: { from: iso(window.fromMs), to: iso(window.toMs) },
    rows: window.rows,
  };
}

function driftResult(closed: ClosedWindow, now: Date): DriftWindowResult {
  const { drift } = closed;
  return {
    ...windowHeader(closed),
    referenceRows: closed.referenceRows,
    features: drift?.features ?? [],
    predictions: drift?.predictions ?? [],
    dataset: drift?.dataset ?? null,
    drifted: drift ? drift.features.some((f) => f.drifted) || drift.predictions.some((f) => f.drifted) : false,
    reportUri: null,
    evaluatedAt: now.toISOString(),
  };
}

function estimatedResult(closed: ClosedWindow): PerformanceWindowResult {
  return {
    ...windowHeader(closed),
    estimated: closed.estimate,
    realised: null,
    labelled: 0,
    labelJoinRate: 0,
    baseline: closed.baseline,
  };
}

function scoreMean(closed: ClosedWindow): number | null {
  let count = 0;
  let sum = 0;
  closed.window.scoreHistogram.forEach((c, bin) => {
    count += c;
    sum += c * ((bin + 0.5) / closed.window.scoreHistogram.length);
  });
  return count > 0 ? sum / count : null;
}
