import { Client } from 'minio';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Consumer } from 'kafkajs';
import { createEvent, decodeEvent, PlatformEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore, parseObjectUri } from '@mlops/storage';
import { REPO_ROOT, ServiceProcess, testAuth, waitFor } from '@mlops/testing';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface Version {
  version: number;
  status: string;
  approvalStatus: string;
  artifact: { uri: string; sha256: string; sizeBytes: number };
  signature: { inputs: { name: string; elementType: string; shape: unknown[] }[]; outputs: { name: string }[]; producer?: string };
  metrics: Record<string, number>;
}
interface Spec {
  modelName: string;
  revision: number;
  champion: { version: number; artifact: { sha256: string } } | null;
  challenger: { version: number; mode: string; weight?: number } | null;
  changedBy: string;
  validFrom?: string;
  validTo?: string | null;
}

const s3 = localS3('admin');
const fixture = (file: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/models', file));
const uniqueName = (label: string) => `int-${label}-${randomUUID().slice(0, 8)}`;
const MAX_BYTES = 4 * 1024 * 1024;
const kafka = createKafka(localKafkaConnection('admin', 'registry-api-int-spec'));
const publisher = new EventPublisher(kafka);

describe('registry API against real Postgres, MinIO and Kafka', () => {
  let registry: ServiceProcess;

  async function call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${registry.url}${path}`, {
      method,
      headers: { ...testAuth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function upload(model: string, bytes: Buffer, query = ''): Promise<{ status: number; body: Version & { message?: string } }> {
    const response = await fetch(`${registry.url}/models/${model}/versions${query}`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', ...testAuth('data-scientist') },
    });
    return { status: response.status, body: (await response.json()) as Version & { message?: string } };
  }

  async function createModel(label: string): Promise<string> {
    const name = uniqueName(label);
    const created = await call('POST', '/models', { name, owner: 'team-int', riskTier: 'limited', tags: { team: 'int' } });
    expect(created.status).toBe(201);
    return name;
  }

  async function approve(model: string, version: number, decision: 'approved' | 'rejected' = 'approved'): Promise<void> {
    const event = createEvent(
      'mlops.governance.approval-decided',
      { approvalId: randomUUID(), modelName: model, version, decision, automatic: true, decidedBy: ['policy'], reason: 'checks passed' },
      { source: 'governance' },
    );
    await publisher.publish('mlops.governance.approval-decided', event);
    await waitFor(`version ${version} of ${model} ${decision}`, async () => {
      const res = await call<Version>('GET', `/models/${model}/versions/${version}`);
      return res.body.approvalStatus === decision ? true : undefined;
    }, { timeoutMs: 60_000 });
  }

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry', { MLOPS_REGISTRY_MAX_ARTIFACT_BYTES: String(MAX_BYTES) });
    await registry.waitUntilReady();
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await registry?.stop();
  });

  describe('models', () => {
    it('refuses an invalid model with 400 naming the field', async () => {
      const res = await call<{ message: string[] }>('POST', '/models', { name: 'Not A Slug', owner: '' });
      expect(res.status).toBe(400);
      expect(res.body.message.join('\n')).toMatch(/body\.name: must be a lowercase slug/);
      expect(res.body.message.join('\n')).toMatch(/body\.owner: must name the owner/);
      const prohibited = await call<{ message: string[] }>('POST', '/models', { name: uniqueName('prohibited'), owner: 'x', riskTier: 'prohibited' });
      expect(prohibited.status).toBe(400);
      expect(prohibited.body.message).toEqual(['body.riskTier: prohibited models may not be registered']);
    });

    it('creates, gets, refuses a duplicate and finds models by tag', async () => {
      const name = await createModel('models');
      expect((await call('POST', '/models', { name, owner: 'x' })).status).toBe(409);
      const got = await call<{ name: string; owner: string; riskTier: string }>('GET', `/models/${name}`);
      expect(got.body).toMatchObject({ name, owner: 'team-int', riskTier: 'limited' });
      const found = await call<{ items: { name: string }[] }>('GET', `/models?q=${name}&tag=team:int`);
      expect(found.body.items.map((m) => m.name)).toEqual([name]);
      expect((await call('GET', `/models?q=${name}&tag=team:other`)).body).toEqual({ items: [] });
      expect((await call('GET', '/models/no-such-model-here')).status).toBe(404);
    });
  });

  describe('uploads', () => {
    it.each([
      ['sklearn-logreg-20.onnx', 'X', [null, 20], ['label', 'probabilities'], 'skl2onnx'],
      ['lightgbm-classifier-10.onnx', 'features', [null, 10], ['label', 'probabilities'], 'OnnxMLTools'],
      ['torch-mlp-8.onnx', 'x', ['batch', 8], ['probability'], 'pytorch'],
    ])('registers %s with the signature read from the file', async (file, input, shape, outputs, producer) => {
      const model = await createModel('byom');
      const res = await upload(model, fixture(file));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ version: 1, status: 'READY', approvalStatus: 'pending' });
      expect(res.body.artifact.uri).toBe(`s3://mlops-artifacts/models/${model}/1/model.onnx`);
      expect(res.body.signature.inputs).toEqual([{ name: input, elementType: 'float32', shape }]);
      expect(res.body.signature.outputs.map((o) => o.name)).toEqual(outputs);
      expect(res.body.signature.producer).toMatch(new RegExp(`^${producer}\\b`));
    });

    it('refuses a file that is not an ONNX model with 422 and the parser reason, creating no version', async () => {
      const model = await createModel('invalid');
      const res = await upload(model, Buffer.from('this is not a model at all, only some text'));
      expect(res.status).toBe(422);
      expect(res.body.message).toMatch(/^not a valid ONNX model: .+/);
      expect((await call<{ items: unknown[] }>('GET', `/models/${model}/versions`)).body.items).toEqual([]);
    });

    it('refuses an artifact over MLOPS_REGISTRY_MAX_ARTIFACT_BYTES with 413', async () => {
      const model = await createModel('too-big');
      const res = await upload(model, randomBytes(MAX_BYTES + 1));
      expect(res.status).toBe(413);
      expect(res.body.message).toContain(String(MAX_BYTES));
    });

    it('gives concurrent uploads of one model distinct consecutive numbers', async () => {
      const model = await createModel('concurrent');
      const results = await Promise.all(Array.from({ length: 8 }, () => upload(model, fixture('torch-mlp-8.onnx'))));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
      expect(results.map((r) => r.body.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('filters versions by metric threshold and tag, with pagination', async () => {
      const model = await createModel('filters');
      const q = (auc: number, stage: string) =>
        `?metrics=${encodeURIComponent(JSON.stringify({ auc }))}&tags=${encodeURIComponent(JSON.stringify({ stage }))}`;
      for (const [auc, stage] of [[0.7, 'dev'], [0.85, 'dev'], [0.9, 'prod']] as const) {
        expect((await upload(model, fixture('torch-mlp-8.onnx'), q(auc, stage))).status).toBe(201);
      }
      const versions = (query: string) => call<{ items: Version[] }>('GET', `/models/${model}/versions${query}`);
      expect((await versions('?metric=auc&min=0.8')).body.items.map((v) => v.version)).toEqual([3, 2]);
      expect((await versions('?metric=auc&min=0.8&tag=stage:dev')).body.items.map((v) => v.version)).toEqual([2]);
      expect((await versions('?limit=1&offset=1')).body.items.map((v) => v.version)).toEqual([2]);
      const bad = await call<{ message: string[] }>('GET', `/models/${model}/versions?min=abc`);
      expect(bad.status).toBe(400);
      expect(bad.body.message.join('\n')).toMatch(/query\.min: must be a number/);
      const metricAlone = await call<{ message: string[] }>('GET', `/models/${model}/versions?metric=accuracy`);
      expect(metricAlone.status).toBe(400);
      expect(metricAlone.body.message).toEqual(['query.metric: needs min or max to filter by (e.g. metric=accuracy&min=0.8)']);
    });

    it('downloads the verified bytes, and refuses with 502 naming the mismatch once they change behind its back', async () => {
      const model = await createModel('tamper');
      const bytes = fixture('lightgbm-classifier-10.onnx');
      const { body: version } = await upload(model, bytes);
      const first = await fetch(`${registry.url}/models/${model}/versions/1/artifact`, { headers: testAuth() });
      expect(first.status).toBe(200);
      expect(first.headers.get('x-mlops-artifact-sha256')).toBe(version.artifact.sha256);
      expect(Buffer.from(await first.arrayBuffer()).equals(bytes)).toBe(true);

      const tampered = Buffer.from(bytes);
      tampered[tampered.length - 1] ^= 0xff;
      const { bucket, key } = parseObjectUri(version.artifact.uri);
      await new Client(s3).putObject(bucket, key, tampered, tampered.length);

      const second = await fetch(`${registry.url}/models/${model}/versions/1/artifact`, { headers: testAuth() });
      expect(second.status).toBe(502);
      const error = (await second.json()) as { message: string };
      expect(error.message).toContain('failed its integrity check');
      expect(error.message).toContain(version.artifact.sha256);
    });

    it('sets, lists and deletes aliases', async () => {
      const model = await createModel('aliases');
      await upload(model, fixture('torch-mlp-8.onnx'));
      expect((await call('PUT', `/models/${model}/aliases/champion`, { version: 1 })).status).toBe(200);
      expect((await call('PUT', `/models/${model}/aliases/best-auc`, { version: 1 })).status).toBe(200);
      expect((await call('PUT', `/models/${model}/aliases/champion`, { version: 9 })).status).toBe(404);
      const listed = await call<{ items: { alias: string; version: number }[] }>('GET', `/models/${model}/aliases`);
      expect(listed.body.items.map((a) => [a.alias, a.version])).toEqual([['best-auc', 1], ['champion', 1]]);
      expect((await call('DELETE', `/models/${model}/aliases/best-auc`)).status).toBe(204);
      expect((await call('DELETE', `/models/${model}/aliases/best-auc`)).status).toBe(404);
    });
  });

  describe('training events', () => {
    it('makes one version of a training run however often it is delivered', async () => {
      const model = uniqueName('trained');
      const runId = randomUUID();
      const store = new ObjectStore(s3);
      const artifact = await store.putBuffer(BUCKETS.artifacts, `runs/${runId}/model.onnx`, fixture('sklearn-logreg-20.onnx'));
      const data = {
        runId, requestId: randomUUID(), modelName: model, algorithm: 'logistic_regression' as const,
        artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
        params: {}, metrics: { auc: 0.9 }, championMetrics: null,
        dataset: { snapshotId: randomUUID(), sha256: artifact.sha256 },
        referenceProfileUri: `s3://${BUCKETS.reports}/profiles/${runId}.json`,
        codeVersion: 'int', parentVersion: null, durationMs: 10,
      };
      const event = createEvent('mlops.training.completed', data, { source: 'trainer' });
      await publisher.publish('mlops.training.completed', event);
      await publisher.publish('mlops.training.completed', event);
      // The trainer announcing the same run again under a new event id is still the same version.
      await publisher.publish('mlops.training.completed', createEvent('mlops.training.completed', data, { source: 'trainer' }));
      // Same key, same partition: once the next run is registered, every redelivery before it has been applied.
      const nextRun = { ...data, runId: randomUUID(), requestId: randomUUID() };
      await publisher.publish('mlops.training.completed', createEvent('mlops.training.completed', nextRun, { source: 'trainer' }));
      const versions = await waitFor('the next run registered', async () => {
        const res = await call<{ items: (Version & { lineage: { runId: string } })[] }>('GET', `/models/${model}/versions`);
        return res.status === 200 && res.body.items.some((v) => v.lineage.runId === nextRun.runId) ? res.body.items : undefined;
      });
      expect(versions.map((v) => [v.version, v.lineage.runId])).toEqual([
        [2, nextRun.runId],
        [1, runId],
      ]);
      // Kept under the registry's prefix, which the gateway reads, as the same bytes.
      expect(versions[1].artifact).toEqual({ uri: `s3://mlops-artifacts/models/${model}/runs/${runId}/model.onnx`, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes });
    });
  });

  describe('deployments', () => {
    let consumer: Consumer;
    const changes: PlatformEvent<'mlops.registry.deployment-changed'>[] = [];

    beforeAll(async () => {
      consumer = kafka.consumer({ groupId: `registry-int-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: 'mlops.registry.deployment-changed', fromBeginning: false });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const decoded = decodeEvent('mlops.registry.deployment-changed', message.value);
          if (decoded.ok) changes.push(decoded.event);
        },
      });
    });

    afterAll(async () => {
      await consumer?.disconnect();
    });

    it('refuses to deploy a version that is not approved, naming it and its status', async () => {
      const model = await createModel('unapproved');
      await upload(model, fixture('torch-mlp-8.onnx'));
      const res = await call<{ message: string }>('POST', `/models/${model}/deployments`, { champion: 1, changedBy: 'alice', reason: 'go' });
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('version 1');
      expect(res.body.message).toContain('approval status is pending');

      await approve(model, 1, 'rejected');
      const rejected = await call<{ message: string }>('POST', `/models/${model}/deployments`, { champion: 1, changedBy: 'alice', reason: 'go' });
      expect(rejected.status).toBe(409);
      expect(rejected.body.message).toContain('approval status is rejected');
      expect((await call('GET', `/models/${model}/deployments/history`)).body).toEqual({ items: [] });
    });

    it('validates the deployment request field by field', async () => {
      const model = await createModel('bad-deploy');
      const res = await call<{ message: string[] }>('POST', `/models/${model}/deployments`, {
        champion: 1, challenger: { version: 2, mode: 'canary', weight: 1.5 }, reason: '',
      });
      expect(res.status).toBe(400);
      const message = res.body.message.join('\n');
      expect(message).toContain('body.challenger.weight');
      expect(message).toContain('body.reason: must say why');
    });

    it('deploys approved versions, publishes each change, and answers what served at any time', async () => {
      const model = await createModel('deploy');
      for (let i = 0; i < 3; i++) await upload(model, fixture('torch-mlp-8.onnx'));
      await approve(model, 1);
      await approve(model, 2);
      await approve(model, 3);
      const before = new Date();

      const deploy = (body: object) => call<Spec>('POST', `/models/${model}/deployments`, { changedBy: 'alice', reason: 'rollout', ...body });
      const r1 = await deploy({ champion: 1 });
      expect(r1.status).toBe(201);
      const r2 = await deploy({ champion: 1, challenger: { version: 2, mode: 'canary', weight: 0.1 } });
      const r3 = await deploy({ champion: 2, challenger: { version: 3, mode: 'shadow' } });
      expect([r1, r2, r3].map((r) => r.body.revision)).toEqual([1, 2, 3]);
      expect(r2.body.challenger).toMatchObject({ version: 2, mode: 'canary', weight: 0.1 });
      // The body says alice; the history names the key that made the change.
      expect([r1, r2, r3].map((r) => r.body.changedBy)).toEqual(['test-admin', 'test-admin', 'test-admin']);

      const history = await call<{ items: Spec[] }>('GET', `/models/${model}/deployments/history`);
      expect(history.body.items.map((h) => [h.revision, h.champion?.version, h.challenger?.version ?? null])).toEqual([
        [1, 1, null],
        [2, 1, 2],
        [3, 2, 3],
      ]);
      const [h1, h2, h3] = history.body.items;
      expect(h1.validTo).toBe(h2.validFrom);
      expect(h2.validTo).toBe(h3.validFrom);
      expect(h3.validTo).toBeNull();

      const servedAt = async (at: string | Date) =>
        call<{ items: Spec[] }>('GET', `/models/${model}/deployments/history?at=${encodeURIComponent(new Date(at).toISOString())}`);
      expect((await servedAt(before)).status).toBe(404);
      expect((await servedAt(h1.validFrom as string)).body.items[0].revision).toBe(1);
      expect((await servedAt(h2.validFrom as string)).body.items[0].revision).toBe(2);
      expect((await servedAt(new Date(new Date(h3.validFrom as string).getTime() + 3_600_000))).body.items[0].revision).toBe(3);
      expect((await call('GET', `/models/${model}/deployments/history?at=yesterday`)).status).toBe(400);

      const current = await call<{ items: Spec[] }>('GET', '/deployments');
      const mine = current.body.items.find((item) => item.modelName === model);
      expect(mine).toMatchObject({ revision: 3, champion: { version: 2 }, challenger: { version: 3, mode: 'shadow' } });

      const published = await waitFor('three deployment-changed events', async () => {
        const ofModel = changes.filter((event) => event.data.modelName === model);
        return ofModel.length === 3 ? ofModel : undefined;
      }, { timeoutMs: 60_000 });
      expect(published.map((event) => event.data.revision)).toEqual([1, 2, 3]);
      expect(published[2].data.champion?.artifact.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(published[2].data).toEqual(mine);
    });
  });
});
