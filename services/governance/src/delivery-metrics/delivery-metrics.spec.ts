import type { DeliveryFacts } from './delivery-facts';
import { computeDeliveryMetrics, median } from './delivery-metrics';

const T0 = Date.UTC(2026, 0, 1);
const at = (hours: number) => new Date(T0 + hours * 3600_000);
const change = (modelName: string, revision: number, champion: number | null, hours: number, challenger: number | null = null) => ({
  modelName,
  revision,
  champion,
  challenger,
  at: at(hours),
});

/**
 * churn: v1 trained and deployed (lead 2 h); v2 trained and deployed (lead 3 h), degrades 2 h later and is rolled
 * back to v1 after 1 h; v3 uploaded without a training request. fraud: v1 deployed, degrades 12 h later, still serving.
 */
const facts: DeliveryFacts = {
  trainingRequests: [
    { requestId: 'r1', at: at(0) },
    { requestId: 'r2', at: at(24) },
  ],
  trainingRuns: [
    { runId: 'run1', requestId: 'r1' },
    { runId: 'run2', requestId: 'r2' },
  ],
  registrations: [
    { modelName: 'churn', version: 1, runId: 'run1' },
    { modelName: 'churn', version: 2, runId: 'run2' },
    { modelName: 'churn', version: 3, runId: null },
    { modelName: 'fraud', version: 1, runId: null },
  ],
  deploymentChanges: [
    change('churn', 1, 1, 2),
    change('churn', 2, 2, 27),
    change('churn', 3, 1, 30),
    change('churn', 4, 3, 72),
    change('churn', 5, 3, 73, 2),
    change('fraud', 1, 1, 108),
  ],
  degradations: [
    { modelName: 'churn', version: 2, at: at(29) },
    { modelName: 'churn', version: 2, at: at(29.5) },
    { modelName: 'churn', version: 1, at: at(200) },
    { modelName: 'fraud', version: 1, at: at(120) },
  ],
};

const window = { from: at(0), to: at(240), failureWindowMs: 24 * 3600_000 };

describe('delivery metrics', () => {
  const { platform, models } = computeDeliveryMetrics(facts, window);
  const churn = models.get('churn');

  it('counts champion changes, rollbacks included, per day of the window', () => {
    expect(churn?.deployments).toBe(4);
    expect(churn?.deploymentsPerDay).toBeCloseTo(0.4);
    expect(platform.deployments).toBe(5);
  });

  it('measures lead time from the training request to serving, for trained versions only', () => {
    expect(churn?.leadTime).toEqual({ measured: 2, medianSeconds: 2.5 * 3600, meanSeconds: 2.5 * 3600 });
  });

  it('fails a change that was rolled back or degraded within the window after it went live', () => {
    expect(churn?.changeFailure).toEqual({ changes: 3, failed: 1, rolledBack: 1, degraded: 1, rate: 1 / 3 });
    expect(platform.changeFailure).toEqual({ changes: 4, failed: 2, rolledBack: 1, degraded: 2, rate: 0.5 });
  });

  it('restores an incident when its version stops serving; repeated reports are one incident; a version no longer serving is none', () => {
    expect(churn?.timeToRestore).toEqual({ incidents: 1, restored: 1, open: 0, medianSeconds: 3600 });
    expect(models.get('fraud')?.timeToRestore).toEqual({ incidents: 1, restored: 0, open: 1, medianSeconds: null });
  });

  it('leaves out what happened outside the window', () => {
    const later = computeDeliveryMetrics(facts, { ...window, from: at(48) });
    expect(later.models.get('churn')).toMatchObject({ deployments: 1, changeFailure: { changes: 1, failed: 0, rate: 0 }, timeToRestore: { incidents: 0 } });
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
