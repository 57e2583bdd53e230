import { randomUUID } from 'node:crypto';
import type { DriftWindowResult, PerformanceWindowResult } from '@mlops/contracts';
import { classificationMetrics } from '@mlops/ml';
import { waitFor } from '@mlops/testing';
import { MonitorHarness } from './test-support/monitor-harness';
import { PredictionGenerator, seededUniform } from './test-support/prediction-generator';

const WINDOW = 200;
const TOTAL = 1200;
const SHIFT_AT = 3 * WINDOW + 50;

describe('monitor stream against real Kafka, Postgres and MinIO, across a kill -9', () => {
  const modelName = `int-mon-${randomUUID().slice(0, 8)}`;
  const generator = new PredictionGenerator({ modelName, features: 6, seed: 42, shiftAt: SHIFT_AT, shift: 0.8, shiftedFeatures: 4, startMs: Date.now() - 3_600_000, stepMs: 100 });
  const events = Array.from({ length: TOTAL }, () => generator.next());
  const labels = [...events.map((e) => e.label)].sort(((random) => () => random() - 0.5)(seededUniform(5)));
  const harness = new MonitorHarness();

  const drift = () => harness.call<{ items: DriftWindowResult[] }>('GET', `/models/${modelName}/drift?limit=100`).then((r) => r.body.items);
  const performance = () => harness.call<{ items: PerformanceWindowResult[] }>('GET', `/models/${modelName}/performance?limit=100`).then((r) => r.body.items);

  beforeAll(async () => {
    await harness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('takes the reference from a registered version and its policy from the API', async () => {
    await harness.registerVersion(modelName, 1, generator.reference(3000), { auc: 0.8, accuracy: 0.75 });
    const policy = await harness.call('PUT', `/models/${modelName}/policy`, {
      window: { maxRows: WINDOW, maxSeconds: 86_400 },
      // Windows of 200 against distance thresholds alone raise false alarms (Evidently's small-sample problem).
      drift: { sampleSizeAware: true },
      performance: { minLabels: 10 },
    });
    expect(policy.status).toBe(200);
    const bad = await harness.call<{ message: string[] }>('PUT', `/models/${modelName}/policy`, { window: { maxRows: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join()).toContain('body.window.maxRows');
    const references = await harness.call<{ items: { version: number; calibrationRows: number }[] }>('GET', `/models/${modelName}/references`);
    expect(references.body.items).toEqual([expect.objectContaining({ version: 1, calibrationRows: 2000 })]);
  });

  it('windows every prediction exactly once through a kill -9, flags the shift from its window on, and joins late labels as a batch would', async () => {
    const half = TOTAL / 2;
    await harness.publish('mlops.labels.observed', labels.slice(0, 200), 'monitor');
    await harness.publish('mlops.predictions.logged', events.slice(0, half).map((e) => e.prediction));
    await harness.publish('mlops.labels.observed', labels.slice(200, 500), 'monitor');
    // Some windows are checkpointed; whatever came after the last checkpoint is lost with the process.
    await waitFor('a first evaluated window', async () => ((await drift()).length >= 1 ? true : undefined), { timeoutMs: 90_000 });
    await harness.monitor.crash();
    await harness.publish('mlops.predictions.logged', events.slice(half).map((e) => e.prediction));
    await harness.publish('mlops.labels.observed', labels.slice(500), 'monitor');
    await harness.restart();

    const windows = await waitFor('all six windows evaluated', async () => {
      const items = await drift();
      return items.length >= TOTAL / WINDOW ? items : undefined;
    }, { timeoutMs: 120_000 });
    const bySeq = windows.sort((a, b) => a.windowId.localeCompare(b.windowId, undefined, { numeric: true }));
    expect(bySeq.map((w) => w.rows)).toEqual(Array(TOTAL / WINDOW).fill(WINDOW));
    expect(bySeq.map((w) => w.dataset?.drifted)).toEqual([false, false, false, true, true, true]);
    expect(bySeq[3].reportUri).toMatch(/^s3:\/\/mlops-reports\/monitor\//);

    const realised = await waitFor('realised metrics for every window', async () => {
      const items = await performance();
      return items.length === TOTAL / WINDOW && items.every((p) => p.realised) ? items : undefined;
    }, { timeoutMs: 90_000 });
    for (const result of realised) {
      const seq = Number(result.windowId.split(':').pop());
      const slice = events.slice((seq - 1) * WINDOW, seq * WINDOW);
      const batch = classificationMetrics(slice.map((e) => e.label.label as number), slice.map((e) => e.prediction.outputs[1].data[1] as number));
      expect(result.labelled).toBe(WINDOW);
      expect(result.labelJoinRate).toBe(1);
      expect(result.realised?.auc).toBeCloseTo(batch.auc, 12);
      expect(result.realised?.accuracy).toBeCloseTo(batch.accuracy, 12);
      expect(result.estimated?.accuracy.lower).toBeLessThan(result.estimated?.accuracy.upper ?? 0);
    }

    const published = await waitFor('drift-detected events for the shifted windows', async () => {
      const critical = harness.received('mlops.monitor.drift-detected', modelName).filter((e) => e.data.kind === 'data' && e.data.severity === 'critical');
      return critical.length >= 3 ? critical : undefined;
    }, { timeoutMs: 60_000 });
    expect(new Set(published.map((e) => e.data.windowId))).toEqual(new Set(bySeq.slice(3).map((w) => w.windowId)));
    expect(published[0].data.dataset?.fdr.discoveries.length).toBeGreaterThanOrEqual(3);
  });
});
