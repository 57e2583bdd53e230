import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createEvent, DLQ_HEADERS, DriftWindowResult, encodeEvent, EventInput, PerformanceWindowResult, ReferenceSummary, RolloutVerdictRecord } from '@mlops/contracts';
import { ParquetStreamWriter } from '@mlops/ml';
import { BUCKETS } from '@mlops/storage';
import { waitFor } from '@mlops/testing';
import { MonitorHarness } from './test-support/monitor-harness';
import { answeredBy, PredictionGenerator, seededUniform } from './test-support/prediction-generator';

type Prediction = EventInput<'mlops.predictions.logged'>;
type Generated = ReturnType<PredictionGenerator['next']>;

const WINDOW = 200;
const FEATURES = 4;
const harness = new MonitorHarness();
const unique = randomUUID().slice(0, 8);

const generator = (modelName: string, seed: number, options: { shiftAt?: number; version?: number } = {}) =>
  new PredictionGenerator({ modelName, features: FEATURES, seed, shift: 1, shiftedFeatures: 3, startMs: Date.now() - 3_600_000, stepMs: 100, ...options });

/** A snapshot of rows the model was not trained on, as a team bringing its own model would export it. */
async function parquetSnapshot(rows: Generated[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const columns = [...Array.from({ length: FEATURES }, (_, j) => `f${j}`), 'score', 'label'];
  const writer = new ParquetStreamWriter(columns.map((name) => ({ name, type: 'double' as const, optional: false })), out);
  const column = (value: (row: Generated) => number) => ({ values: Float64Array.from(rows, value) });
  await writer.append(rows.length, [
    ...Array.from({ length: FEATURES }, (_, j) => column((r) => r.prediction.inputs[0].data[j] as number)),
    column((r) => r.prediction.outputs[1].data[1] as number),
    column((r) => r.label.label as number),
  ]);
  await writer.close();
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  await harness.start();
});

afterAll(async () => {
  await harness.stop();
});

describe('POST /references: a model brought from outside', () => {
  const modelName = `int-ref-${unique}`;

  it('profiles a Parquet snapshot as the reference the stream then tests windows against', async () => {
    const source = generator(modelName, 11, { shiftAt: 3000 + WINDOW });
    const snapshot = await parquetSnapshot(Array.from({ length: 3000 }, () => source.next()));
    const dataset = await harness.store.putBuffer(BUCKETS.datasets, `feature-store/int/${modelName}/holdout.parquet`, snapshot);
    const request = { modelName, version: 1, dataset: { uri: dataset.uri, sha256: dataset.sha256 }, features: ['f0', 'f1', 'f2', 'f3'], predictionColumn: 'score', labelColumn: 'label' };

    const bad = await harness.call<{ message: string[] }>('POST', '/references', { ...request, features: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join()).toContain('body.features');
    const missingColumn = await harness.call<{ message: string }>('POST', '/references', { ...request, features: ['f0', 'income'] });
    expect(missingColumn.status).toBe(422);
    expect(missingColumn.body.message).toContain('income');
    const wrongHash = await harness.call<{ message: string }>('POST', '/references', { ...request, dataset: { uri: dataset.uri, sha256: '0'.repeat(64) } });
    expect(wrongHash.status).toBe(422);
    expect(wrongHash.body.message).toMatch(/sha256/);
    const noObject = await harness.call<{ message: string }>('POST', '/references', { ...request, dataset: { uri: `s3://mlops-datasets/int/${modelName}/none.parquet` } });
    expect(noObject.status).toBe(422);
    expect(noObject.body.message).toContain('none.parquet');

    const created = await harness.call<ReferenceSummary>('POST', '/references', request);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      modelName, version: 1, source: 'dataset', rowCount: 3000, calibrationRows: 3000,
      features: ['f0', 'f1', 'f2', 'f3'].map((name) => ({ name, kind: 'numeric' })),
      predictions: [{ name: 'probability', kind: 'numeric' }],
    });
    const listed = await harness.call<{ items: ReferenceSummary[] }>('GET', `/models/${modelName}/references`);
    expect(listed.body.items).toEqual([created.body]);

    await harness.putPolicy(modelName, { window: { maxRows: WINDOW, maxSeconds: 86_400 }, drift: { sampleSizeAware: true } });
    await harness.publish('mlops.predictions.logged', Array.from({ length: 2 * WINDOW }, () => source.next().prediction));
    await harness.awaitWindows(modelName, 2);
    const drift = (await harness.call<{ items: DriftWindowResult[] }>('GET', `/models/${modelName}/drift`)).body.items.reverse();
    expect(drift.map((w) => [w.referenceRows, w.dataset?.drifted])).toEqual([[3000, false], [3000, true]]);
    expect(drift[1].features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(['f0', 'f1', 'f2']);
    const performance = (await harness.call<{ items: PerformanceWindowResult[] }>('GET', `/models/${modelName}/performance`)).body.items;
    // The snapshot's scores and labels calibrate CBPE; their metrics are the baseline.
    expect(performance[0].estimated?.accuracy.value).toBeGreaterThan(0.5);
    expect(performance[0].baseline?.auc).toBeGreaterThan(0.6);
  });
});

describe('rollout verdicts over Kafka', () => {
  const canary = `int-canary-${unique}`;
  const shadowed = `int-shadow-${unique}`;
  const ROUNDS = 6;
  const policy = { window: { maxRows: WINDOW, maxSeconds: 86_400 }, rollout: { minSamples: WINDOW }, performance: { minLabels: 50 } };

  const verdicts = async (modelName: string) => (await harness.call<{ items: RolloutVerdictRecord[] }>('GET', `/models/${modelName}/rollouts?limit=100`)).body.items.reverse();
  const realisedWindows = async (modelName: string) =>
    (await harness.call<{ items: PerformanceWindowResult[] }>('GET', `/models/${modelName}/performance?limit=100`)).body.items.filter((p) => p.realised !== null).length;

  it('promotes a better canary and rolls back a worse shadow, each once, with the evidence in the event and the API', async () => {
    await harness.putPolicy(canary, policy);
    await harness.putPolicy(shadowed, policy);
    const random = seededUniform(21);
    const canaryTraffic = generator(canary, 21);
    const shadowTraffic = generator(shadowed, 22);
    for (let round = 1; round <= ROUNDS; round++) {
      const predictions: Prediction[] = [];
      const labels: Generated['label'][] = [];
      for (let i = 0; i < WINDOW; i++) {
        // Canary: the champion and the challenger each answer their own share of requests.
        const [toChampion, toChallenger] = [canaryTraffic.next(), canaryTraffic.next()];
        predictions.push(answeredBy(toChampion, { version: 1, role: 'champion', accuracy: 0.7 }, random));
        predictions.push(answeredBy(toChallenger, { version: 2, role: 'challenger', accuracy: 0.92 }, random));
        // Shadow: the shadow scores every request the champion answers, under the same request id.
        const request = shadowTraffic.next();
        predictions.push(answeredBy(request, { version: 3, role: 'champion', accuracy: 0.9 }, random));
        predictions.push(answeredBy(request, { version: 4, role: 'shadow', accuracy: 0.6 }, random));
        labels.push(toChampion.label, toChallenger.label, request.label);
      }
      await harness.publish('mlops.predictions.logged', predictions);
      await harness.publish('mlops.labels.observed', labels, 'monitor');
      // Each round's labels are in before the next round's windows close, so every look sees them.
      await waitFor(`round ${round} labelled`, async () => ((await realisedWindows(canary)) >= 2 * round && (await realisedWindows(shadowed)) >= 2 * round) || undefined, { timeoutMs: 60_000 });
    }

    for (const [modelName, expected, versions] of [[canary, 'promote', [1, 2]], [shadowed, 'rollback', [3, 4]]] as const) {
      const events = await waitFor(`the ${expected} verdict on ${modelName}`, async () => {
        const received = harness.received('mlops.monitor.rollout-verdict', modelName);
        return received.some((e) => e.data.verdict !== 'continue') ? received : undefined;
      }, { timeoutMs: 60_000 });
      const kept = await verdicts(modelName);
      process.stdout.write(`${modelName}: ${events.map((e) => `${e.data.verdict} (${e.data.evidence?.at(-1)?.samples.champion ?? 0} labels, p ${e.data.evidence?.at(-1)?.pValue.toPrecision(2)})`).join(', ')}\n`);
      const final = events.filter((e) => e.data.verdict !== 'continue');
      expect(final.map((e) => e.data.verdict)).toEqual([expected]);
      // Every look before it kept collecting; none after it repeated it.
      expect(events.map((e) => e.data.verdict)).toEqual([...Array(events.length - 1).fill('continue'), expected]);
      expect(kept.map((v) => v.verdict)).toEqual(events.map((e) => e.data.verdict));
      const verdict = final[0].data;
      expect([verdict.championVersion, verdict.challengerVersion]).toEqual(versions);
      expect(verdict.reason).toMatch(expected === 'promote' ? /is better than the champion's .* \(mSPRT always-valid p < 0.05\)/ : /is worse than the champion's/);
      const msprt = verdict.evidence?.find((e) => e.test === 'msprt');
      expect(msprt?.pValue).toBeLessThan(0.05);
      expect(Math.min(msprt?.samples.champion ?? 0, msprt?.samples.challenger ?? 0)).toBeGreaterThanOrEqual(50);
      expect(verdict.evidence?.map((e) => `${e.metric}:${e.test}`)).toEqual(['latency_ms:mann_whitney_u', 'score:mann_whitney_u', 'accuracy:two_proportion', 'accuracy:msprt']);
      expect(kept.at(-1)?.evidence).toEqual(verdict.evidence);
    }
    const canaryVerdict = harness.received('mlops.monitor.rollout-verdict', canary).at(-1)?.data;
    expect(canaryVerdict?.challengerMetrics.accuracy).toBeGreaterThan(0.85);
    expect(canaryVerdict?.championMetrics.accuracy).toBeLessThan(0.78);
  });
});

describe('Page-Hinkley early warning', () => {
  const modelName = `int-ph-${unique}`;

  it('raises one prediction-drift alarm soon after the prediction mean moves, none before', async () => {
    await harness.putPolicy(modelName, { window: { maxRows: 1000, maxSeconds: 86_400 }, drift: { pageHinkley: { delta: 0.01, threshold: 5 } } });
    const random = seededUniform(31);
    const source = generator(modelName, 31);
    const SHIFT_AT = 600;
    const predictions = Array.from({ length: 1000 }, (_, i) => {
      const p = answeredBy(source.next(), { version: 1, role: 'champion', accuracy: 1 }, random);
      const probability = Math.fround((i < SHIFT_AT ? 0.2 : 0.5) + 0.2 * random());
      return { ...p, outputs: [p.outputs[0], { ...p.outputs[1], data: [Math.fround(1 - probability), probability] }] };
    });
    await harness.publish('mlops.predictions.logged', predictions);
    await harness.awaitWindows(modelName, 1);
    const alarms = await harness.awaitReceived('mlops.monitor.drift-detected', modelName, 1);
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0].data;
    expect(alarm).toMatchObject({ kind: 'prediction', severity: 'warning', role: 'champion', version: 1 });
    expect(alarm.features).toEqual([expect.objectContaining({ feature: 'prediction_mean', test: 'page_hinkley', threshold: 5, drifted: true })]);
    const at = Date.parse(alarm.window.from);
    expect(at).toBeGreaterThanOrEqual(Date.parse(predictions[SHIFT_AT].timestamp));
    expect(at).toBeLessThanOrEqual(Date.parse(predictions[SHIFT_AT + 50].timestamp));
  });
});

describe('dead letters', () => {
  const modelName = `int-dlq-${unique}`;

  it('sends undecodable prediction logs and labels to mlops.dlq.monitor with the reason, and keeps consuming', async () => {
    await harness.putPolicy(modelName, { window: { maxRows: 10, maxSeconds: 86_400 } });
    const marker = `not-a-prediction-${unique}`;
    const prediction = { ...generator(modelName, 41).next().prediction, requestId: marker };
    const envelope = JSON.parse(encodeEvent('mlops.predictions.logged', createEvent('mlops.predictions.logged', prediction, { source: 'inference-gateway' })).toString());
    delete envelope.data.modelName;
    const missingModel = JSON.stringify(envelope);
    await harness.publisher.publishRaw('mlops.predictions.logged', [{ key: modelName, value: Buffer.from(`{${marker}`) }, { key: modelName, value: Buffer.from(missingModel) }]);
    await harness.publisher.publishRaw('mlops.labels.observed', [{ key: modelName, value: Buffer.from(`label ${marker}`) }]);
    const source = generator(modelName, 42);
    await harness.publish('mlops.predictions.logged', Array.from({ length: 10 }, () => source.next().prediction));

    const letters = await waitFor('three dead letters', async () => {
      const mine = harness.deadLetters.filter((d) => d.value.includes(marker));
      return mine.length >= 3 ? mine : undefined;
    }, { timeoutMs: 60_000 });
    expect(letters.map((d) => d.headers[DLQ_HEADERS.sourceTopic]).sort()).toEqual(['mlops.labels.observed', 'mlops.predictions.logged', 'mlops.predictions.logged']);
    const [notJson, invalid, label] = [letters.find((d) => d.value.startsWith('{not')), letters.find((d) => d.value === missingModel), letters.find((d) => d.value.startsWith('label'))];
    expect(notJson?.headers[DLQ_HEADERS.error]).toMatch(/^not valid JSON/);
    expect(label?.headers[DLQ_HEADERS.error]).toMatch(/^not valid JSON/);
    expect(invalid?.headers[DLQ_HEADERS.error]).toMatch(/data\.modelName/);
    for (const letter of letters) {
      expect(letter.headers).toMatchObject({ [DLQ_HEADERS.stage]: 'decode', [DLQ_HEADERS.consumer]: 'mlops-monitor-stream' });
      expect(Number(letter.headers[DLQ_HEADERS.sourceOffset])).toBeGreaterThanOrEqual(0);
    }
    // The valid logs after them were windowed: the bad records held nothing up.
    await harness.awaitWindows(modelName, 1);
  });
});
