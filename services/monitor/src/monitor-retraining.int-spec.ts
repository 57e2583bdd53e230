import { randomUUID } from 'node:crypto';
import type { EventInput, RetrainingHistory } from '@mlops/contracts';
import { waitFor } from '@mlops/testing';
import { MonitorHarness } from './test-support/monitor-harness';
import { PredictionGenerator } from './test-support/prediction-generator';

const WINDOW = 200;
const harness = new MonitorHarness();
const modelName = `int-retrain-${randomUUID().slice(0, 8)}`;
// Every window is shifted: each one is critical data drift, and each asks for a retraining the policy rules on.
const traffic = new PredictionGenerator({ modelName, features: 6, seed: 51, shiftAt: 0, shift: 1, shiftedFeatures: 4, startMs: Date.now() - 3_600_000, stepMs: 100 });
const recipe: EventInput<'mlops.training.requested'> = {
  requestId: randomUUID(), modelName, featureRefs: ['churn_view:f0', 'churn_view:f1'], labelSource: { kind: 'feature', featureRef: 'churn_view:churned' },
  algorithm: 'logistic_regression', hyperparameters: { C: 0.5 }, split: { policy: 'random', holdoutFraction: 0.25 }, seed: 7, requestedBy: 'alice',
};

const history = async () => (await harness.call<RetrainingHistory>('GET', `/models/${modelName}/retraining?limit=100`)).body;
const fromMonitor = () => harness.received('mlops.training.requested', modelName).filter((e) => e.data.requestedBy === 'monitor');

/** One drifted window, and the retraining decision it led to. */
async function driftedWindow(): Promise<RetrainingHistory['items'][number]> {
  const before = (await history()).items.length;
  await harness.publish('mlops.predictions.logged', Array.from({ length: WINDOW }, () => traffic.next().prediction));
  return decisionAfter(before);
}

async function decisionAfter(count: number): Promise<RetrainingHistory['items'][number]> {
  const items = await waitFor(`retraining decision ${count + 1}`, async () => {
    const current = (await history()).items;
    return current.length > count ? current : undefined;
  }, { timeoutMs: 90_000 });
  expect(items).toHaveLength(count + 1);
  return items[0];
}

async function finish(requestId: string): Promise<void> {
  await harness.publish('mlops.training.completed', [{
    runId: randomUUID(), requestId, modelName, algorithm: 'logistic_regression',
    artifact: { uri: `s3://mlops-artifacts/${modelName}/model.onnx`, sha256: '0'.repeat(64), sizeBytes: 1 },
    params: {}, metrics: { auc: 0.8 }, championMetrics: null, dataset: { snapshotId: randomUUID(), sha256: '0'.repeat(64) },
    referenceProfileUri: `s3://mlops-artifacts/${modelName}/profile.json`, codeVersion: 'int', parentVersion: null, durationMs: 1,
  }], 'trainer');
  await waitFor(`run ${requestId} finished`, async () => (await history()).running.length === 0 || undefined, { timeoutMs: 60_000 });
}

beforeAll(async () => {
  await harness.start();
});

afterAll(async () => {
  await harness.stop();
});

describe('retraining triggered by drift, by policy, across a kill -9', () => {
  it('asks for exactly one retraining with the last recipe seen, citing its drift event, and says why it held back every other', async () => {
    await harness.registerVersion(modelName, 1, traffic.reference(3000), { auc: 0.8 });
    await harness.putPolicy(modelName, {
      window: { maxRows: WINDOW, maxSeconds: 86_400 },
      drift: { sampleSizeAware: true },
      retraining: { enabled: true, on: ['drift'], cooldownSeconds: 3600, maxPerDay: 1 },
    });
    await harness.publish('mlops.training.requested', [recipe], 'trainer');
    const seen = await waitFor('the recipe seen', async () => {
      const state = await history();
      return state.recipe?.requestId === recipe.requestId ? state : undefined;
    }, { timeoutMs: 60_000 });
    expect(seen.running.map((r) => r.requestId)).toEqual([recipe.requestId]);

    // The model's own training has not finished: nothing is asked for.
    expect(await driftedWindow()).toMatchObject({ decision: 'suppressed', reason: '1 training request(s) of this model have not finished yet', trainingRequestId: null });

    // Finished: the next drifted window asks for one retraining. The monitor is killed while that window is in flight.
    await finish(recipe.requestId);
    const before = (await history()).items.length;
    await harness.publish('mlops.predictions.logged', Array.from({ length: WINDOW }, () => traffic.next().prediction));
    await harness.crashAndRestart();
    const requested = await decisionAfter(before);
    expect(requested).toMatchObject({ decision: 'requested', reason: 'drift detected and every rule of the policy allows a retraining', cause: { topic: 'mlops.monitor.drift-detected' } });
    expect(requested.cause.summary).toMatch(/^data drift in [4-6] of 6 features \(f0, f1, f2, f3.*\) in window .*:1:champion:2$/);
    const [request] = await harness.awaitReceived('mlops.training.requested', modelName, 2).then(() => fromMonitor());
    expect(request.data).toEqual({ ...recipe, requestId: requested.trainingRequestId, requestedBy: 'monitor', reason: `${requested.cause.summary} (mlops.monitor.drift-detected ${requested.cause.eventId})`, cause: requested.cause });
    const cause = harness.received('mlops.monitor.drift-detected', modelName).find((e) => e.id === requested.cause.eventId);
    expect(cause?.data).toMatchObject({ kind: 'data', severity: 'critical', windowId: `${modelName}:1:champion:2` });
    // The monitor's own request is now the recipe and is running.
    await waitFor('the monitor request seen', async () => ((await history()).running[0]?.requestId === requested.trainingRequestId) || undefined, { timeoutMs: 60_000 });

    // Its own retraining still running, then in cooldown, then (no cooldown) at the daily limit: held back each time.
    expect(await driftedWindow()).toMatchObject({ decision: 'suppressed', reason: '1 training request(s) of this model have not finished yet' });
    await finish(requested.trainingRequestId as string);
    expect((await driftedWindow()).reason).toMatch(/^in cooldown: the last retraining was requested at .*, cooldown 3600 s$/);
    await harness.putPolicy(modelName, {
      window: { maxRows: WINDOW, maxSeconds: 86_400 },
      drift: { sampleSizeAware: true },
      retraining: { enabled: true, on: ['drift'], cooldownSeconds: 0, maxPerDay: 1 },
    });
    expect((await driftedWindow()).reason).toBe('daily limit reached: 1 of 1 retraining(s) in the last 24 hours');

    const decisions = (await history()).items;
    expect(decisions.map((d) => d.decision)).toEqual(['suppressed', 'suppressed', 'suppressed', 'requested', 'suppressed']);
    // One decision per drifted window, each citing its own event: the restart repeated none.
    expect(new Set(decisions.map((d) => d.cause.eventId)).size).toBe(5);
    expect(fromMonitor()).toHaveLength(1);
  });
});
