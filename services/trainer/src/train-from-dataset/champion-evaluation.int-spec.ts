/** @jest-environment ./libs/ml/src/test-support/onnxruntime-environment.js */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localKafkaConnection, localS3 } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { openMigratedDataSource } from '@mlops/service-kit';
import { ObjectStore } from '@mlops/storage';
import { freePort, getJson, REPO_ROOT, ServiceProcess, testAuth, waitFor } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { builtInTrainer } from '../test-support/wired-use-cases';
import { churnRequest, storeChurnSnapshot } from '../test-support/churn-snapshot';
import { TransientTrainingFailure } from '../train-on-request/training-failures';
import type { TrainingRequest } from '../training-requests/training-request';


/** The registry's model API, over HTTP as the trainer uses it. */
async function call<T>(method: string, url: string, body?: unknown, type = 'application/json'): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': type, ...testAuth() },
    ...(body !== undefined ? { body: body instanceof Uint8Array ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

describe('TrainFromDataset against the champion in a real registry (registry process, Postgres, MinIO, Kafka)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `trainer-champion-it-${randomUUID().slice(0, 8)}`)));
  let registry: ServiceProcess;
  let dataSource: DataSource;
  let snapshot: Awaited<ReturnType<typeof storeChurnSnapshot>>;
  const useCase = (registryUrl: string) => builtInTrainer(dataSource, store, registryUrl);

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry');
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    snapshot = await storeChurnSnapshot(setupStore, 600);
    await publisher.connect();
    await registry.waitUntilReady();
  }, 180_000);

  afterAll(async () => {
    await publisher.disconnect();
    await dataSource?.destroy();
    await registry?.stop();
  });

  const request = (modelName: string, overrides: Partial<TrainingRequest> = {}) => churnRequest({ modelName, ...overrides });

  async function registerVersion(model: string, onnx: Uint8Array): Promise<number> {
    const version = await call<{ version: number }>('POST', `${registry.url}/models/${model}/versions`, onnx, 'application/octet-stream');
    return version.version;
  }

  async function approve(model: string, version: number): Promise<void> {
    const decided = createEvent(
      'mlops.governance.approval-decided',
      { approvalId: randomUUID(), modelName: model, version, decision: 'approved', automatic: true, decidedBy: ['policy'], reason: 'integration test' },
      { source: 'governance' },
    );
    await publisher.publish('mlops.governance.approval-decided', decided);
    await waitFor(`v${version} of ${model} approved`, async () => {
      const res = await getJson<{ approvalStatus: string }>(`${registry.url}/models/${model}/versions/${version}`);
      return res.body.approvalStatus === 'approved';
    });
  }

  const runRow = (runId: string) =>
    dataSource.query(`SELECT champion_version, champion_source, champion_metrics, champion_skipped_reason FROM trainer.training_runs WHERE run_id = $1`, [runId]) as Promise<
      { champion_version: number | null; champion_source: string | null; champion_metrics: Record<string, number> | null; champion_skipped_reason: string | null }[]
    >;

  it('scores the deployed champion on the run\'s holdout: the first run\'s model, deployed, scores what that run measured', async () => {
    const model = `champion-it-${randomUUID().slice(0, 8)}`;
    const trainer = useCase(registry.url);
    const first = await trainer.execute(request(model), snapshot);
    expect(first!.data).toMatchObject({ championMetrics: null, parentVersion: null });

    await call('POST', `${registry.url}/models`, { name: model, owner: 'trainer-it' });
    const v1 = await registerVersion(model, await store.readVerified(first!.data.artifact.uri, first!.data.artifact.sha256));
    await approve(model, v1);
    await call('POST', `${registry.url}/models/${model}/deployments`, { champion: v1, changedBy: 'it', reason: 'first release' });
    // An alias named champion on another version does not outrank what actually serves.
    const v2 = await registerVersion(model, readFileSync(join(REPO_ROOT, 'test/fixtures/models/sklearn-logreg-20.onnx')));
    await call('PUT', `${registry.url}/models/${model}/aliases/champion`, { version: v2 });

    const second = await trainer.execute(request(model, { hyperparameters: { numIterations: 10, minChildSamples: 20 }, seed: 3 }), snapshot);
    const { championMetrics, parentVersion, metrics } = second!.data;
    expect(parentVersion).toBe(v1);
    expect(metrics).not.toEqual(first!.data.metrics);
    // Same rows, same model: the champion's metrics are the first run's own (onnxruntime computes in float32).
    expect(Object.keys(championMetrics!).sort()).toEqual(Object.keys(first!.data.metrics).sort());
    for (const [name, value] of Object.entries(first!.data.metrics)) expect(championMetrics![name]).toBeCloseTo(value, 5);

    const [row] = await runRow(second!.data.runId);
    expect(row).toMatchObject({ champion_version: v1, champion_source: 'deployment', champion_metrics: championMetrics, champion_skipped_reason: null });
  });

  it('records a champion that cannot take the run\'s features as not comparable, without failing the run', async () => {
    const model = `champion-it-${randomUUID().slice(0, 8)}`;
    await call('POST', `${registry.url}/models`, { name: model, owner: 'trainer-it' });
    const v1 = await registerVersion(model, readFileSync(join(REPO_ROOT, 'test/fixtures/models/sklearn-logreg-20.onnx')));
    await call('PUT', `${registry.url}/models/${model}/aliases/champion`, { version: v1 });

    const event = await useCase(registry.url).execute(request(model), snapshot);
    expect(event!.data).toMatchObject({ championMetrics: null, parentVersion: v1 });
    expect(event!.data.metrics.auc).toBeGreaterThan(0.9);
    const [row] = await runRow(event!.data.runId);
    expect(row).toMatchObject({ champion_version: v1, champion_source: 'alias', champion_metrics: null });
    expect(row.champion_skipped_reason).toContain('takes 20 features, the data has 2');
  });

  it('treats an unreachable registry as transient: nothing is recorded and the request can be retried', async () => {
    const req = request(`champion-it-${randomUUID().slice(0, 8)}`);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    await expect(useCase(nobody).execute(req, snapshot)).rejects.toThrow(TransientTrainingFailure);
    expect(await dataSource.query(`SELECT 1 FROM trainer.training_runs WHERE request_id = $1`, [req.requestId])).toHaveLength(0);
    const retried = await useCase(registry.url).execute(req, snapshot);
    expect(retried!.data).toMatchObject({ requestId: req.requestId, championMetrics: null, parentVersion: null });
  });
});
