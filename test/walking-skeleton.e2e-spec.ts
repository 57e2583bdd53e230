import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, PlatformEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore, StoredObject } from '@mlops/storage';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface VersionBody {
  version: number;
  signature: { inputs: { name: string; shape: unknown[] }[] };
  lineage: { runId: string };
}
interface AuditBody {
  items: { eventType: string; eventId: string; data: { version?: number; runId?: string } }[];
}

const modelName = `e2e-skeleton-${randomUUID().slice(0, 8)}`;
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-walking-skeleton')));

function trainingCompleted(runId: string, artifact: StoredObject): PlatformEvent<'mlops.training.completed'> {
  return createEvent(
    'mlops.training.completed',
    {
      runId,
      requestId: randomUUID(),
      modelName,
      algorithm: 'logistic_regression',
      artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
      params: { C: 1 },
      metrics: { auc: 0.91 },
      championMetrics: null,
      dataset: { snapshotId: randomUUID(), sha256: artifact.sha256 },
      referenceProfileUri: `s3://${BUCKETS.reports}/profiles/${runId}.json`,
      codeVersion: 'e2e',
      parentVersion: null,
      durationMs: 1200,
    },
    { source: 'trainer' },
  );
}

describe('walking skeleton: a training run crosses registry and governance over real Kafka, Postgres and MinIO', () => {
  let registry: ServiceProcess;
  let governance: ServiceProcess;

  beforeAll(async () => {
    [registry, governance] = await Promise.all([ServiceProcess.start('registry'), ServiceProcess.start('governance')]);
    await Promise.all([registry, governance].map((svc) => svc.waitUntilReady()));
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await Promise.all([registry?.stop(), governance?.stop()]);
  });

  async function auditOf(type: string): Promise<AuditBody['items']> {
    const res = await getJson<AuditBody>(`${governance.url}/audit?subject=${modelName}&type=${type}`);
    return res.body.items;
  }

  it('registers each training run once, publishes it through the outbox, and governance audits every event once', async () => {
    const model = readFileSync(join(__dirname, 'fixtures/models/sklearn-logreg-20.onnx'));
    const firstRun = randomUUID();
    const artifact = await store.putBuffer(BUCKETS.artifacts, `runs/${firstRun}/model.onnx`, model);
    const first = trainingCompleted(firstRun, artifact);

    await publisher.publish('mlops.training.completed', first);
    await publisher.publish('mlops.training.completed', first);

    const v1 = await waitFor('version 1 in the registry', async () => {
      const res = await getJson<VersionBody>(`${registry.url}/models/${modelName}/versions/1`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(v1.lineage.runId).toBe(firstRun);
    expect(v1.signature.inputs).toEqual([{ name: 'X', elementType: 'float32', shape: [null, 20] }]);

    // A second, distinct run is a marker: once it is registered, the duplicate of the first has been consumed too.
    const secondRun = randomUUID();
    await publisher.publish('mlops.training.completed', trainingCompleted(secondRun, artifact));
    await waitFor('version 2 in the registry', async () => (await getJson(`${registry.url}/models/${modelName}/versions/2`)).status === 200);

    const versions = await getJson<{ items: VersionBody[] }>(`${registry.url}/models/${modelName}/versions`);
    expect(versions.body.items.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.body.items.map((v) => v.lineage.runId)).toEqual([secondRun, firstRun]);

    const registered = await waitFor('both version-registered events in the audit log', async () => {
      const items = await auditOf('mlops.registry.version-registered.v1');
      return items.length >= 2 ? items : undefined;
    });
    expect(registered.map((e) => e.data.version).sort()).toEqual([1, 2]);
    const completed = await waitFor('training events in the audit log', async () => {
      const items = await auditOf('mlops.training.completed.v1');
      return items.length >= 2 ? items : undefined;
    });
    expect(completed.map((e) => e.data.runId).sort()).toEqual([firstRun, secondRun].sort());
    expect(completed.filter((e) => e.eventId === first.id)).toHaveLength(1);

    // Everything the registry was sent is consumed, and its metrics say so per partition.
    await waitFor('registry consumer lag to reach 0', async () => {
      const metrics = (await getJson<string>(`${registry.url}/metrics`)).body;
      const lags = [...metrics.matchAll(/^mlops_registry_consumer_lag_messages\{[^}]*topic="mlops\.training\.completed"[^}]*\} (\d+)$/gm)];
      return lags.length === 3 && lags.every((m) => m[1] === '0');
    });
  });
});
