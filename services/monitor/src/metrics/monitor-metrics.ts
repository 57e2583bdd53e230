import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import type { DriftWindowResult, PerformanceWindowResult } from '@mlops/contracts';
import { metricName } from '@mlops/observability';

const SERVICE = 'monitor';

export interface StreamProbe {
  /** Per model: joined, unmatched and pending labels. */
  labelCounts(): Record<string, { joined: number; unmatched: number; pending: number }>;
  /** Per model, version and role: the time of the newest prediction folded. */
  newestPredictionMs(): { modelName: string; version: number; role: string; atMs: number }[];
}

/** The monitor's series: per model, version and feature, set as each window is evaluated. */
@Injectable()
export class MonitorMetrics {
  readonly featureDrift: Gauge<'model' | 'version' | 'role' | 'feature' | 'test'>;
  readonly featurePsi: Gauge<'model' | 'version' | 'role' | 'feature'>;
  readonly datasetDriftShare: Gauge<'model' | 'version' | 'role'>;
  readonly datasetDrifted: Gauge<'model' | 'version' | 'role'>;
  readonly baseline: Gauge<'model' | 'version' | 'role' | 'metric'>;
  readonly predictionMean: Gauge<'model' | 'version' | 'role'>;
  readonly estimated: Gauge<'model' | 'version' | 'role' | 'metric' | 'bound'>;
  readonly realised: Gauge<'model' | 'version' | 'role' | 'metric'>;
  readonly records: Counter<'topic' | 'outcome'>;
  readonly windowsClosed: Counter<'model'>;
  private probe: StreamProbe | null = null;

  constructor(registry: Registry) {
    const registers = [registry];
    this.featureDrift = new Gauge({
      name: metricName(SERVICE, 'feature_drift_score'),
      help: "Drift statistic of the last closed window per feature and prediction column (the test's statistic: KS D, normed Wasserstein, JS distance, chi2, z)",
      labelNames: ['model', 'version', 'role', 'feature', 'test'],
      registers,
    });
    this.featurePsi = new Gauge({ name: metricName(SERVICE, 'feature_psi'), help: 'PSI of the last closed window per column', labelNames: ['model', 'version', 'role', 'feature'], registers });
    this.datasetDriftShare = new Gauge({ name: metricName(SERVICE, 'dataset_drift_share'), help: 'Share of features that drifted in the last closed window', labelNames: ['model', 'version', 'role'], registers });
    this.datasetDrifted = new Gauge({ name: metricName(SERVICE, 'dataset_drifted'), help: "1 when the last closed window's features drifted as a whole (the policy's dataset test), else 0", labelNames: ['model', 'version', 'role'], registers });
    this.baseline = new Gauge({ name: metricName(SERVICE, 'baseline_performance'), help: 'Holdout metrics of the version, the baseline its live metrics are held to', labelNames: ['model', 'version', 'role', 'metric'], registers });
    this.predictionMean = new Gauge({ name: metricName(SERVICE, 'prediction_mean'), help: 'Mean score of the last closed window (P(1) or the regression output)', labelNames: ['model', 'version', 'role'], registers });
    this.estimated = new Gauge({ name: metricName(SERVICE, 'estimated_performance'), help: 'CBPE estimate of the last closed window with its 95% band', labelNames: ['model', 'version', 'role', 'metric', 'bound'], registers });
    this.realised = new Gauge({ name: metricName(SERVICE, 'realised_performance'), help: 'Metric from joined labels of the last finalised window', labelNames: ['model', 'version', 'role', 'metric'], registers });
    this.records = new Counter({ name: metricName(SERVICE, 'stream_records_total'), help: 'Prediction logs and labels consumed by the stream, by outcome (folded, dead_lettered)', labelNames: ['topic', 'outcome'], registers });
    this.windowsClosed = new Counter({ name: metricName(SERVICE, 'windows_closed_total'), help: 'Windows closed and evaluated', labelNames: ['model'], registers });
    const probe = () => this.probe;
    new Gauge({
      name: metricName(SERVICE, 'labels'),
      help: 'Labels joined to their prediction, unmatched (never joined within the horizon), or pending (prediction not seen yet)',
      labelNames: ['model', 'state'],
      registers,
      collect() {
        for (const [model, c] of Object.entries(probe()?.labelCounts() ?? {})) {
          this.set({ model, state: 'joined' }, c.joined);
          this.set({ model, state: 'unmatched' }, c.unmatched);
          this.set({ model, state: 'pending' }, c.pending);
        }
      },
    });
    new Gauge({
      name: metricName(SERVICE, 'label_join_rate'),
      help: 'Joined labels over joined and unmatched labels',
      labelNames: ['model'],
      registers,
      collect() {
        for (const [model, c] of Object.entries(probe()?.labelCounts() ?? {})) {
          if (c.joined + c.unmatched > 0) this.set({ model }, c.joined / (c.joined + c.unmatched));
        }
      },
    });
    new Gauge({
      name: metricName(SERVICE, 'window_lag_seconds'),
      help: 'Now minus the time of the newest prediction folded into the open window',
      labelNames: ['model', 'version', 'role'],
      registers,
      collect() {
        const now = Date.now();
        for (const w of probe()?.newestPredictionMs() ?? []) this.set({ model: w.modelName, version: String(w.version), role: w.role }, Math.max(0, (now - w.atMs) / 1000));
      },
    });
  }

  watch(probe: StreamProbe): void {
    this.probe = probe;
  }

  recordDrift(result: DriftWindowResult): void {
    const base = { model: result.modelName, version: String(result.version), role: result.role };
    for (const f of [...result.features, ...result.predictions]) {
      this.featureDrift.set({ ...base, feature: f.feature, test: f.test }, f.statistic);
      if (f.psi !== undefined) this.featurePsi.set({ ...base, feature: f.feature }, f.psi);
    }
    if (result.dataset) {
      this.datasetDriftShare.set(base, result.dataset.driftedShare);
      this.datasetDrifted.set(base, result.dataset.drifted ? 1 : 0);
    }
    this.windowsClosed.inc({ model: result.modelName });
  }

  recordEstimate(result: PerformanceWindowResult, scoreMean: number | null): void {
    const base = { model: result.modelName, version: String(result.version), role: result.role };
    if (scoreMean !== null) this.predictionMean.set(base, scoreMean);
    for (const [metric, value] of Object.entries(result.baseline ?? {})) this.baseline.set({ ...base, metric }, value);
    if (!result.estimated) return;
    for (const [metric, estimate] of Object.entries(result.estimated)) {
      for (const bound of ['value', 'lower', 'upper'] as const) this.estimated.set({ ...base, metric, bound }, estimate[bound]);
    }
  }

  recordRealised(modelName: string, version: number, role: string, metrics: Record<string, number>): void {
    for (const [metric, value] of Object.entries(metrics)) this.realised.set({ model: modelName, version: String(version), role, metric }, value);
  }
}
