import { randomUUID } from 'node:crypto';
import type { Consumer, Producer } from 'kafkajs';
import { createEvent, createHttpClient, EventInput, HttpCallError, trainerRoutes } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { getJson, ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { allCustomersIngested, kafka, postJson, rawProducer, seededRandom, uniqueName } from './fixtures/feature-store/feature-store-harness';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface VersionBody {
  version: number;
  metrics: Record<string, number>;
  lineage: { runId: string | null; datasetSnapshotId: string | null; datasetSha256: string | null; codeVersion: string | null };
}
interface FailedData {
  requestId: string;
  modelName: string;
  reason: string;
  attempts: number;
}

const CUSTOMERS = 300;
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-training-loop')));

describe('training loop: a training request becomes a registered version through feature store, trainer and registry', () => {
  const customer = uniqueName('customer');
  const view = uniqueName('txn_stats');
  const modelName = `e2e-loop-${randomUUID().slice(0, 8)}`;
  const t0 = Date.UTC(2026, 5, 1, 12, 0, 0);
  let featureStore: ServiceProcess;
  let trainer: ServiceProcess;
  let registry: ServiceProcess;
  const trainerApi = () => createHttpClient(trainerRoutes, { baseUrl: trainer.url, apiKey: testApiKey('admin') });
  let producer: Producer;
  let failedConsumer: Consumer;
  const failed: FailedData[] = [];
  let labelCsv: { uri: string; sha256: string };

  beforeAll(async () => {
    featureStore = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_SOURCE_GROUP: uniqueName('mlops-feature-store-training-loop-'), MLOPS_FEATURE_STORE_GRPC_PORT: '0' });
    registry = await ServiceProcess.start('registry');
    // The trainer asks the registry for the model's champion before training: without a registry it waits for one.
    trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_FEATURE_STORE_URL: featureStore.url, MLOPS_TRAINER_MAX_ATTEMPTS: '2', MLOPS_TRAINER_REGISTRY_URL: registry.url });
    await Promise.all([featureStore, trainer, registry].map((svc) => svc.waitUntilReady()));
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
    producer = await rawProducer();
    failedConsumer = kafka().consumer({ groupId: uniqueName('training-loop-failed') });
    await failedConsumer.connect();
    await failedConsumer.subscribe({ topics: ['mlops.training.failed'], fromBeginning: true });
    await failedConsumer.run({
      eachMessage: async ({ message }) => {
        failed.push((JSON.parse(message.value?.toString('utf8') ?? '{}') as { data: FailedData }).data);
      },
    });
  }, 180_000);

  afterAll(async () => {
    await failedConsumer?.disconnect();
    await producer?.disconnect();
    await publisher.disconnect();
    await Promise.all([featureStore?.stop(), trainer?.stop(), registry?.stop()]);
  });

  function request(data: Omit<EventInput<'mlops.training.requested'>, 'modelName' | 'requestedBy'>) {
    return createEvent('mlops.training.requested', { ...data, modelName, requestedBy: 'e2e' }, { source: 'monitor' });
  }

  it('trains on a point-in-time dataset, registers the version with its lineage and shows the run', async () => {
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
            { name: 'is_fraud', type: 'int64' },
          ],
          ttlSeconds: 3600,
          owner: 'ds-team',
        },
      ],
    });
    expect(applied.status).toBe(200);

    // The label is a feature of the view too; the label CSV carries it with the time it was observed.
    const random = seededRandom(7);
    const labelLines = ['customer_id,event_timestamp,label'];
    for (let id = 1; id <= CUSTOMERS; id++) {
      const at = t0 + id * 1000;
      const amount = Math.round(random() * 10_000) / 100;
      const isFraud = amount + (random() - 0.5) * 20 > 50 ? 1 : 0;
      const record = { customer_id: id, at, amount, visits: Math.floor(random() * 10), is_fraud: isFraud };
      await producer.send({ topic: `${view}.src`, messages: [{ key: String(id), value: JSON.stringify(record) }] });
      labelLines.push(`${id},${new Date(at + 500).toISOString()},${isFraud}`);
    }
    const labels = await store.putBuffer(BUCKETS.datasets, `uploads/e2e/${modelName}/labels.csv`, Buffer.from(labelLines.join('\n') + '\n'));
    labelCsv = { uri: labels.uri, sha256: labels.sha256 };
    await waitFor('every feature record ingested', () => allCustomersIngested(featureStore.url, `${view}:amount`, CUSTOMERS), { timeoutMs: 120_000 });

    await publisher.publish(
      'mlops.training.requested',
      request({
        requestId: randomUUID(),
        featureRefs: [`${view}:amount`, `${view}:visits`],
        labelSource: { kind: 'dataset', ...labelCsv },
        algorithm: 'logistic_regression',
        hyperparameters: {},
        split: { policy: 'time', holdoutFraction: 0.2 },
        seed: 1,
      }),
    );

    const version = await waitFor(
      'version 1 in the registry',
      async () => {
        const res = await getJson<VersionBody>(`${registry.url}/models/${modelName}/versions/1`);
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 120_000 },
    );
    expect(version.lineage.runId).toEqual(expect.any(String));
    expect(version.lineage.datasetSha256).toMatch(/^[0-9a-f]{64}$/);

    const run = await trainerApi().getRun({ params: { id: version.lineage.runId! } });
    expect(run).toMatchObject({ runId: version.lineage.runId, modelName, status: 'completed', codeVersion: version.lineage.codeVersion });
    expect(run.dataset).toEqual({ snapshotId: version.lineage.datasetSnapshotId, sha256: version.lineage.datasetSha256 });
    expect(run.metrics.auc).toBeGreaterThan(0.9);
    expect(run.metrics).toEqual(version.metrics);
    expect(run.lossCurve.length).toBeGreaterThan(0);

    const listed = await trainerApi().listRuns({ query: { model: modelName } });
    expect(listed.items.map((r) => r.runId)).toEqual([version.lineage.runId]);
    const refusal = (answer: Promise<unknown>) => answer.then(() => undefined, (err: HttpCallError) => [err.status, err.reason]);
    expect(await refusal(trainerApi().getRun({ params: { id: 'not-a-uuid' } }))).toEqual([400, 'path.id: must be a uuid']);
    expect(await refusal(trainerApi().getRun({ params: { id: randomUUID() } }))).toEqual([404, expect.stringMatching(/^no run /)]);
  });

  it('takes the labels from a feature\'s offline history when the label source is a feature', async () => {
    const labelledModel = `${modelName}-by-feature`;
    await publisher.publish(
      'mlops.training.requested',
      createEvent(
        'mlops.training.requested',
        {
          requestId: randomUUID(),
          modelName: labelledModel,
          featureRefs: [`${view}:amount`, `${view}:visits`],
          labelSource: { kind: 'feature', featureRef: `${view}:is_fraud` },
          algorithm: 'gbdt_classifier',
          hyperparameters: { numIterations: 30, minChildSamples: 5 },
          split: { policy: 'time', holdoutFraction: 0.2 },
          seed: 1,
          requestedBy: 'e2e',
        },
        { source: 'monitor' },
      ),
    );
    const version = await waitFor(
      'the feature-labelled version in the registry',
      async () => {
        const res = await getJson<VersionBody>(`${registry.url}/models/${labelledModel}/versions/1`);
        return res.status === 200 ? res.body : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const log = await trainerApi().runLog({ params: { id: version.lineage.runId! } }).then((r) => r.text());
    // One label row per ingested record: 240 to train on, 60 held out.
    expect(log).toContain(`${CUSTOMERS * 0.8} training rows, ${CUSTOMERS * 0.2} holdout rows`);
    expect(version.metrics.auc).toBeGreaterThan(0.9);
  });

  it('ends a request with an unknown feature ref in mlops.training.failed with the reason, once', async () => {
    const requestId = randomUUID();
    await publisher.publish(
      'mlops.training.requested',
      request({
        requestId,
        featureRefs: [`${view}:amount`, 'no_such_view:x'],
        labelSource: { kind: 'dataset', ...labelCsv },
        algorithm: 'logistic_regression',
        hyperparameters: {},
        split: { policy: 'time', holdoutFraction: 0.2 },
        seed: 1,
      }),
    );
    const failure = await waitFor('mlops.training.failed for the request', async () => failed.find((f) => f.requestId === requestId), { timeoutMs: 60_000 });
    expect(failure.modelName).toBe(modelName);
    expect(failure.attempts).toBe(2);
    expect(failure.reason).toContain('no_such_view');
    expect(failure.reason).toContain('feature store refused the dataset (400)');
    const runs = await trainerApi().listRuns({ query: { model: modelName } });
    expect(runs.items).toHaveLength(1);
    expect(failed.filter((f) => f.requestId === requestId)).toHaveLength(1);
  });
});
