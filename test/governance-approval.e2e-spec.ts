import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, createHttpClient, governanceRoutes, registryRoutes, unlessNotFound } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { localKafkaConnection, localS3 } from '@mlops/config';

const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `e2e-governance-${randomUUID().slice(0, 8)}`)));

describe('governance approval across services: a trained minimal-risk version is checked, approved and deployable with nobody\'s hand', () => {
  let registry: ServiceProcess;
  let governance: ServiceProcess;
  const registryApi = () => createHttpClient(registryRoutes, { baseUrl: registry.url, apiKey: testApiKey('admin') });
  const governanceApi = () => createHttpClient(governanceRoutes, { baseUrl: governance.url, apiKey: testApiKey('admin') });

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

  async function trainedVersion(modelName: string): Promise<number> {
    const runId = randomUUID();
    const artifact = await store.putBuffer(BUCKETS.artifacts, `runs/${runId}/model.onnx`, readFileSync(join(__dirname, 'fixtures/models/sklearn-logreg-20.onnx')));
    const requestId = randomUUID();
    const requested = createEvent(
      'mlops.training.requested',
      { requestId, modelName, featureRefs: ['e2e:x'], labelSource: { kind: 'feature', featureRef: 'e2e:y' }, algorithm: 'logistic_regression', requestedBy: 'alice' },
      { source: 'trainer' },
    );
    const completed = createEvent(
      'mlops.training.completed',
      {
        runId, requestId, modelName, algorithm: 'logistic_regression',
        artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
        params: {}, metrics: { auc: 0.91 }, championMetrics: null,
        dataset: { snapshotId: randomUUID(), sha256: artifact.sha256 },
        referenceProfileUri: `s3://${BUCKETS.reports}/profiles/${runId}.json`, codeVersion: 'e2e', parentVersion: null, durationMs: 1,
      },
      { source: 'trainer' },
    );
    await publisher.publish('mlops.training.requested', requested);
    await publisher.publish('mlops.training.completed', completed);
    return waitFor('the version registered', async () => {
      const { items } = await registryApi().listVersions({ params: { name: modelName } });
      return items.find((v) => v.lineage.runId === runId)?.version;
    }, { timeoutMs: 60_000 });
  }

  const approval = (modelName: string, version: number) =>
    waitFor('governance to decide', async () => {
      const found = await unlessNotFound(governanceApi().showApproval({ params: { model: modelName, version } }));
      return found && found.status !== 'PendingManualApproval' ? found : undefined;
    }, { timeoutMs: 60_000 });

  it('approves it automatically, the registry records it and lets it serve; a limited-risk twin waits for an approver', async () => {
    const minimal = `e2e-gov-min-${randomUUID().slice(0, 8)}`;
    await expect(registryApi().createModel({ body: { name: minimal, owner: 'team-e2e', riskTier: 'minimal' } })).resolves.toMatchObject({ name: minimal, riskTier: 'minimal' });
    const version = await trainedVersion(minimal);
    const decided = await approval(minimal, version);
    expect(decided.status).toBe('Approved');
    expect(decided.checks.every((c) => c.passed)).toBe(true);
    expect(decided.decisions).toEqual([expect.objectContaining({ reviewer: 'policy', automatic: true })]);
    await waitFor('the registry to record the approval', async () => {
      const found = await registryApi().getVersion({ params: { name: minimal, version } });
      return found.approvalStatus === 'approved';
    }, { timeoutMs: 60_000 });
    const deployed = await registryApi().deploy({ params: { name: minimal }, body: { champion: version, changedBy: 'e2e', reason: 'approved by policy' } });
    expect(deployed.champion?.version).toBe(version);

    const limited = `e2e-gov-lim-${randomUUID().slice(0, 8)}`;
    const pendingVersion = await trainedVersion(limited);
    const pending = await waitFor('the approval request', () => unlessNotFound(governanceApi().showApproval({ params: { model: limited, version: pendingVersion } })), {
      timeoutMs: 60_000,
    });
    expect(pending).toMatchObject({ status: 'PendingManualApproval', requiredApprovals: 1, requestedBy: 'alice' });
  });
});
