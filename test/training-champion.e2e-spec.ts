import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { allCustomersIngested, postJson, rawProducer, seededRandom, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { runMlops } from './fixtures/mlops-cli';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface RunBody {
  runId: string;
  modelName: string;
  params: Record<string, number>;
  metrics: Record<string, number>;
  championMetrics: Record<string, number> | null;
  parentVersion: number | null;
  dataset: { snapshotId: string; sha256: string };
}
interface Comparison {
  runs: { runId: string; parentVersion: number | null }[];
  params: { name: string; values: (number | null)[]; differs: boolean }[];
  metrics: { name: string; values: (number | null)[]; deltaFromFirst: (number | null)[] }[];
  championMetrics: { name: string; values: (number | null)[] }[];
}

const CUSTOMERS = 400;
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `e2e-training-champion-${randomUUID().slice(0, 8)}`)));

describe('training against the champion: mlops train twice, the second run scored against the deployed first', () => {
  const customer = uniqueName('customer');
  const view = uniqueName('champ_stats');
  const modelName = `e2e-champ-${randomUUID().slice(0, 8)}`;
  const t0 = Date.UTC(2026, 4, 1, 12, 0, 0);
  let featureStore: ServiceProcess;
  let trainer: ServiceProcess;
  let registry: ServiceProcess;
  let producer: Producer;
  let labelUri: string;
  let labelSha256: string;
  // The same labels as a local file: `mlops train` uploads it, pinned by the sha256 of the upload.
  const labelFile = join(mkdtempSync(join(tmpdir(), 'e2e-champ-labels-')), 'labels.csv');

  const mlops = (...args: string[]) => runMlops({ MLOPS_TRAINER_URL: trainer.url, MLOPS_REGISTRY_URL: registry.url }, args, 240_000);

  beforeAll(async () => {
    featureStore = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_SOURCE_GROUP: uniqueName('mlops-feature-store-training-champion-'), MLOPS_FEATURE_STORE_GRPC_PORT: '0' });
    registry = await ServiceProcess.start('registry');
    trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_FEATURE_STORE_URL: featureStore.url, MLOPS_TRAINER_REGISTRY_URL: registry.url });
    await Promise.all([featureStore, trainer, registry].map((svc) => svc.waitUntilReady()));
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
    producer = await rawProducer();

    const applied = await postJson(`${featureStore.url}/apply`, {
      entities: [{ name: customer, joinKeys: [{ name: 'customer_id', type: 'int64' }] }],
      featureViews: [
        {
          name: view,
          entities: [customer],
          source: { topic: `${view}.src`, eventTimeField: 'at' },
          schema: [
            { name: 'amount', type: 'float64' },
            { name: 'visits', type: 'int64' },
          ],
          ttlSeconds: 3600,
          owner: 'ds-team',
        },
      ],
    });
    expect(applied.status).toBe(200);
    const random = seededRandom(11);
    const labelLines = ['customer_id,event_timestamp,label'];
    for (let id = 1; id <= CUSTOMERS; id++) {
      const at = t0 + id * 1000;
      const amount = Math.round(random() * 10_000) / 100;
      const visits = Math.floor(random() * 10);
      const label = amount + visits * 3 + (random() - 0.5) * 30 > 60 ? 1 : 0;
      await producer.send({ topic: `${view}.src`, messages: [{ key: String(id), value: JSON.stringify({ customer_id: id, at, amount, visits }) }] });
      labelLines.push(`${id},${new Date(at + 500).toISOString()},${label}`);
    }
    const labels = await store.putBuffer(BUCKETS.datasets, `uploads/e2e/${modelName}/labels.csv`, Buffer.from(labelLines.join('\n') + '\n'));
    [labelUri, labelSha256] = [labels.uri, labels.sha256];
    writeFileSync(labelFile, labelLines.join('\n') + '\n');
    await waitFor('every feature record ingested', () => allCustomersIngested(featureStore.url, `${view}:visits`, CUSTOMERS), { timeoutMs: 120_000 });
  }, 300_000);

  afterAll(async () => {
    await producer?.disconnect();
    await publisher.disconnect();
    await Promise.all([featureStore?.stop(), trainer?.stop(), registry?.stop()]);
  });

  const train = (...extra: string[]) =>
    mlops(
      '--json',
      'train',
      '--model',
      modelName,
      '--features',
      `${view}:amount,${view}:visits`,
      '--labels',
      labelFile,
      '--algorithm',
      'gbdt_classifier',
      '--param',
      'minChildSamples=5',
      '--wait',
      '--poll-ms',
      '100',
      ...extra,
    );

  it('carries the deployed champion\'s metrics on the same holdout into the second run, the registry and the CLI', async () => {
    const first = await train('--param', 'numIterations=40', '--seed', '1');
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const run1 = JSON.parse(first.stdout) as RunBody;
    expect(run1).toMatchObject({ modelName, parentVersion: null, championMetrics: null });
    expect(run1.metrics.auc).toBeGreaterThan(0.8);

    // The registry registers the run as v1; approved and deployed, it is the champion.
    await waitFor('v1 registered', async () => (await getJson(`${registry.url}/models/${modelName}/versions/1`)).status === 200, { timeoutMs: 60_000 });
    await publisher.publish(
      'mlops.governance.approval-decided',
      createEvent(
        'mlops.governance.approval-decided',
        { approvalId: randomUUID(), modelName, version: 1, decision: 'approved', automatic: true, decidedBy: ['policy'], reason: 'e2e' },
        { source: 'governance' },
      ),
    );
    await waitFor('v1 approved', async () => (await getJson<{ approvalStatus: string }>(`${registry.url}/models/${modelName}/versions/1`)).body.approvalStatus === 'approved');
    const deployed = await postJson(`${registry.url}/models/${modelName}/deployments`, { champion: 1, changedBy: 'e2e', reason: 'first release' });
    expect(deployed.status).toBe(201);

    const second = await train('--param', 'numIterations=15', '--param', 'learningRate=0.2', '--seed', '2');
    expect(second.code).toBe(0);
    const run2 = JSON.parse(second.stdout) as RunBody;
    expect(run2.parentVersion).toBe(1);
    // Both runs hold out the same rows of the same point-in-time dataset, and the champion is run 1's model:
    // scored on that holdout, it measures what run 1 measured (float32 inside ONNX, float64 in the trainer).
    expect(run2.dataset.sha256).toBe(run1.dataset.sha256);
    expect(Object.keys(run2.championMetrics!).sort()).toEqual(Object.keys(run1.metrics).sort());
    for (const [name, value] of Object.entries(run1.metrics)) expect(run2.championMetrics![name]).toBeCloseTo(value, 5);
    expect(run2.metrics.auc).not.toBe(run1.metrics.auc);

    const v2 = await waitFor('v2 registered', async () => {
      const res = await getJson<{ lineage: { parentVersion: number | null; runId: string } }>(`${registry.url}/models/${modelName}/versions/2`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(v2.lineage).toMatchObject({ parentVersion: 1, runId: run2.runId });

    const listed = await mlops('--json', 'runs', 'list', '--model', modelName);
    expect((JSON.parse(listed.stdout) as { items: RunBody[] }).items.map((r) => r.runId)).toEqual([run2.runId, run1.runId]);

    const compared = await mlops('--json', 'runs', 'compare', run1.runId, run2.runId);
    const comparison = JSON.parse(compared.stdout) as Comparison;
    expect(comparison.runs.map((r) => [r.runId, r.parentVersion])).toEqual([
      [run1.runId, null],
      [run2.runId, 1],
    ]);
    expect(comparison.params.find((p) => p.name === 'numIterations')).toMatchObject({ values: [40, 15], differs: true });
    expect(comparison.metrics.find((m) => m.name === 'auc')).toMatchObject({ values: [run1.metrics.auc, run2.metrics.auc], deltaFromFirst: [0, run2.metrics.auc - run1.metrics.auc] });
    expect(comparison.championMetrics.find((m) => m.name === 'auc')!.values).toEqual([null, run2.championMetrics!.auc]);

    const shown = await mlops('runs', 'show', run2.runId);
    expect(shown.stdout).toContain('champion: v1, scored on the same holdout');
    expect(shown.stdout).toMatch(/^auc\s+\S+\s+\S+\s+[+-]\d/m);
    const humanCompare = await mlops('runs', 'compare', run1.runId, run2.runId);
    expect(humanCompare.stdout).toMatch(/^\* numIterations\s+40\s+15 \(-25\.0000\)/m);
  });

  it('reports bad input with the field and exit codes scripts can rely on', async () => {
    const badParam = await mlops('train', '--model', modelName, '--features', `${view}:amount`, '--labels', labelUri, '--labels-sha256', labelSha256, '--algorithm', 'gbdt_classifier', '--param', 'numIterations=-3');
    expect(badParam.code).toBe(2);
    expect(badParam.stderr).toContain('body.hyperparameters.numIterations');
    const badRef = await mlops('train', '--model', modelName, '--features', 'nocolon', '--labels', labelUri, '--labels-sha256', labelSha256, '--algorithm', 'gbdt_classifier');
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain('body.featureRefs.0');
    const unpinned = await mlops('train', '--model', modelName, '--features', `${view}:amount`, '--labels', labelUri, '--algorithm', 'gbdt_classifier');
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toContain(`--labels ${labelUri}: give its --labels-sha256, or a local file to upload`);
    expect((await mlops('runs', 'show', randomUUID())).code).toBe(3);
    const oneId = await mlops('runs', 'compare', randomUUID());
    expect(oneId.code).toBe(2);
    expect(oneId.stderr).toContain('query.ids');
    const failed = await mlops('train', '--model', modelName, '--features', 'no_such_view:x', '--labels', labelUri, '--labels-sha256', labelSha256, '--algorithm', 'logistic_regression', '--wait', '--poll-ms', '100');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('failed after');
    expect(failed.stderr).toContain('no_such_view');
  });
});
