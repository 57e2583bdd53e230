import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { createEvent, decodeEvent, encodeEvent, PlatformEvent, DriftWindowResult, PerformanceWindowResult } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { classificationMetrics } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { ServiceProcess, sendJson, waitFor } from '@mlops/testing';
import { PredictionGenerator, seededUniform } from './test-support/prediction-generator';
import { localKafkaConnection, localS3 } from '@mlops/config';

const s3 = localS3('admin');
const kafka = createKafka(localKafkaConnection('admin', 'monitor-stream-int-spec'));
const publisher = new EventPublisher(kafka);
const WINDOW = 200;
const TOTAL = 1200;
const SHIFT_AT = 3 * WINDOW + 50;

describe('monitor stream against real Kafka, Postgres and MinIO, across a kill -9', () => {
  const modelName = `int-mon-${randomUUID().slice(0, 8)}`;
  const generator = new PredictionGenerator({ modelName, features: 6, seed: 42, shiftAt: SHIFT_AT, shift: 0.8, shiftedFeatures: 4, startMs: Date.now() - 3_600_000, stepMs: 100 });
  const events = Array.from({ length: TOTAL }, () => generator.next());
  const labels = [...events.map((e) => e.label)].sort(((random) => () => random() - 0.5)(seededUniform(5)));
  let monitor: ServiceProcess;
  let consumer: Consumer;
  const driftEvents: PlatformEvent<'mlops.monitor.drift-detected'>[] = [];

  const call = <T>(method: string, path: string, body?: unknown) => sendJson<T>(method, `${monitor.url}${path}`, body);

  async function publishAll<T extends 'mlops.predictions.logged' | 'mlops.labels.observed'>(topic: T, items: PlatformEvent<T>['data'][]): Promise<void> {
    const messages = items.map((data) => {
      const event = createEvent(topic, data as never, { source: topic === 'mlops.predictions.logged' ? 'inference-gateway' : 'monitor' });
      return { key: modelName, value: encodeEvent(topic, event) };
    });
    for (let i = 0; i < messages.length; i += 500) await publisher.publishRaw(topic, messages.slice(i, i + 500));
  }

  const drift = () => call<{ items: DriftWindowResult[] }>('GET', `/models/${modelName}/drift?limit=100`).then((r) => r.body.items);
  const performance = () => call<{ items: PerformanceWindowResult[] }>('GET', `/models/${modelName}/performance?limit=100`).then((r) => r.body.items);

  beforeAll(async () => {
    await publisher.connect();
    consumer = kafka.consumer({ groupId: `monitor-int-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'mlops.monitor.drift-detected', fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent('mlops.monitor.drift-detected', message.value);
        if (decoded.ok && decoded.event.data.modelName === modelName) driftEvents.push(decoded.event);
      },
    });
    monitor = await ServiceProcess.start('monitor', { MLOPS_MONITOR_CHECKPOINT_INTERVAL_MS: '300', MLOPS_MONITOR_LABEL_HORIZON_SECONDS: '600' });
    await monitor.waitUntilReady();
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await publisher.disconnect();
    await monitor?.stop();
  });

  it('takes the reference from a registered version and its policy from the API', async () => {
    const store = new ObjectStore(s3);
    const profile = await store.putBuffer(BUCKETS.artifacts, `runs/${modelName}/int/reference-profile.json`, Buffer.from(JSON.stringify(generator.reference(3000))));
    const registered = createEvent('mlops.registry.version-registered', {
      modelName, version: 1, riskTier: 'limited',
      artifact: { uri: `s3://mlops-artifacts/${modelName}/model.onnx`, sha256: profile.sha256, sizeBytes: 1 },
      signature: { inputs: [{ name: 'features', elementType: 'float32', shape: [null, 6] }], outputs: [] },
      metrics: { auc: 0.8, accuracy: 0.75 }, referenceProfileUri: profile.uri,
      lineage: { runId: null, datasetSnapshotId: null, datasetSha256: null, codeVersion: null, parentVersion: null },
      registeredAt: new Date().toISOString(),
    }, { source: 'registry' });
    await publisher.publish('mlops.registry.version-registered', registered);
    const policy = await call('PUT', `/models/${modelName}/policy`, {
      window: { maxRows: WINDOW, maxSeconds: 86_400 },
      // Windows of 200 against distance thresholds alone raise false alarms (Evidently's small-sample problem).
      drift: { sampleSizeAware: true },
      performance: { minLabels: 10 },
    });
    expect(policy.status).toBe(200);
    const bad = await call<{ message: string[] }>('PUT', `/models/${modelName}/policy`, { window: { maxRows: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join()).toContain('body.window.maxRows');
    await waitFor('the reference stored', async () => {
      const res = await call<{ items: { version: number; calibrationRows: number }[] }>('GET', `/models/${modelName}/references`);
      return res.body.items.length === 1 ? res.body.items : undefined;
    }, { timeoutMs: 60_000 });
  });

  it('windows every prediction exactly once through a kill -9, flags the shift from its window on, and joins late labels as a batch would', async () => {
    const half = TOTAL / 2;
    await publishAll('mlops.labels.observed', labels.slice(0, 200));
    await publishAll('mlops.predictions.logged', events.slice(0, half).map((e) => e.prediction));
    await publishAll('mlops.labels.observed', labels.slice(200, 500));
    // Some windows are checkpointed; whatever came after the last checkpoint is lost with the process.
    await waitFor('a first evaluated window', async () => ((await drift()).length >= 1 ? true : undefined), { timeoutMs: 90_000 });
    await monitor.crash();
    await publishAll('mlops.predictions.logged', events.slice(half).map((e) => e.prediction));
    await publishAll('mlops.labels.observed', labels.slice(500));
    monitor = await ServiceProcess.start('monitor', { MLOPS_MONITOR_CHECKPOINT_INTERVAL_MS: '300', MLOPS_MONITOR_LABEL_HORIZON_SECONDS: '600' });
    await monitor.waitUntilReady();

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
      const critical = driftEvents.filter((e) => e.data.kind === 'data' && e.data.severity === 'critical');
      return critical.length >= 3 ? critical : undefined;
    }, { timeoutMs: 60_000 });
    expect(new Set(published.map((e) => e.data.windowId))).toEqual(new Set(bySeq.slice(3).map((w) => w.windowId)));
    expect(published[0].data.dataset?.fdr.discoveries.length).toBeGreaterThanOrEqual(3);
  });
});
