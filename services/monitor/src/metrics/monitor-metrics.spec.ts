import { Registry } from 'prom-client';
import type { DriftWindowResult, PerformanceWindowResult } from '@mlops/contracts';
import { MonitorMetrics } from './monitor-metrics';

const window = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T01:00:00.000Z' };
const key = { windowId: 'churn:1:champion:3', modelName: 'churn', version: 1, role: 'champion' as const, window, rows: 100 };

function drift(drifted: boolean): DriftWindowResult {
  const feature = { feature: 'minutes', test: 'ks' as const, statistic: 0.4, pValue: 0.001, threshold: 0.05, drifted, psi: 0.3 };
  return { ...key, referenceRows: 2000, features: [feature], predictions: [], dataset: { driftedShare: drifted ? 1 : 0, shareThreshold: 0.5, drifted, fdr: { q: 0.05, discoveries: [] } }, drifted, reportUri: null, evaluatedAt: window.to };
}

async function series(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((metric?.values ?? []).map((v) => [Object.values(v.labels).join(' '), v.value]));
}

describe('MonitorMetrics', () => {
  it('shows the dataset drift verdict of the last window per model, version and role, for the drift alert', async () => {
    const registry = new Registry();
    const metrics = new MonitorMetrics(registry);
    metrics.recordDrift(drift(true));
    expect(await series(registry, 'mlops_monitor_dataset_drifted')).toEqual({ 'churn 1 champion': 1 });
    metrics.recordDrift(drift(false));
    expect(await series(registry, 'mlops_monitor_dataset_drifted')).toEqual({ 'churn 1 champion': 0 });
    expect(await series(registry, 'mlops_monitor_feature_psi')).toEqual({ 'churn 1 champion minutes': 0.3 });
  });

  it('shows the holdout metrics beside the estimate, so live and baseline can be compared by one expression', async () => {
    const registry = new Registry();
    const metrics = new MonitorMetrics(registry);
    const estimate = { value: 0.7, lower: 0.65, upper: 0.75 };
    const result: PerformanceWindowResult = { ...key, estimated: { accuracy: estimate, rocAuc: estimate }, realised: null, labelled: 0, labelJoinRate: 0, baseline: { auc: 0.9, accuracy: 0.8 } };
    metrics.recordEstimate(result, 0.4);
    expect(await series(registry, 'mlops_monitor_baseline_performance')).toEqual({ 'churn 1 champion auc': 0.9, 'churn 1 champion accuracy': 0.8 });
    metrics.recordRealised('churn', 1, 'champion', { auc: 0.7 });
    expect(await series(registry, 'mlops_monitor_realised_performance')).toEqual({ 'churn 1 champion auc': 0.7 });
  });
});
