import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localS3 } from '@mlops/config';
import type { TrainingRequestStatus } from '@mlops/contracts';
import { openMigratedDataSource } from '@mlops/service-kit';
import { ObjectStore } from '@mlops/storage';
import { getJson, ServiceProcess, testAuth, waitFor } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { builtInTrainer } from '../test-support/wired-use-cases';
import { storeChurnSnapshot } from '../test-support/churn-snapshot';
import type { TrainingRequest } from '../training-requests/training-request';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';


async function post<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...testAuth() }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

describe('training requests API (trainer process, Kafka, Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  let trainer: ServiceProcess;
  let registry: ServiceProcess;
  let dataSource: DataSource;

  beforeAll(async () => {
    // One attempt: a request the trainer cannot serve fails at once, so its status is seen to reach `failed`.
    registry = await ServiceProcess.start('registry');
    trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_MAX_ATTEMPTS: '1', MLOPS_TRAINER_REGISTRY_URL: registry.url });
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    await trainer.waitUntilReady();
    await registry.waitUntilReady();
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await trainer?.stop();
    await registry?.stop();
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    modelName: `requests-it-${randomUUID().slice(0, 8)}`,
    featureRefs: ['usage:minutes'],
    labelSource: { kind: 'dataset', uri: `s3://mlops-datasets/uploads/missing/${randomUUID()}.csv`, sha256: 'c'.repeat(64) },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: 5 },
    requestedBy: 'integration-test',
    ...overrides,
  });

  it('queues a request through the outbox and follows it to its end (here: failed, with the reason)', async () => {
    const submitted = await post<{ requestId: string; status: string }>(
      `${trainer.url}/training-requests`,
      body({ algorithm: 'custom', hyperparameters: { trainer: 'not-registered' } }),
    );
    expect(submitted.status).toBe(202);
    expect(submitted.body).toEqual({ requestId: expect.any(String), status: 'queued' });
    const url = `${trainer.url}/training-requests/${submitted.body.requestId}`;
    const first = await getJson<TrainingRequestStatus>(url);
    expect(first.status).toBe(200);
    expect(['queued', 'training', 'failed']).toContain(first.body.status);

    // The relay publishes mlops.training.requested; no trainer of that name is registered, a permanent failure.
    const failed = await waitFor('the request failed', async () => {
      const res = await getJson<TrainingRequestStatus>(url);
      return res.body.status === 'failed' ? res.body : undefined;
    });
    expect(failed).toMatchObject({ requestId: submitted.body.requestId, status: 'failed', attempts: 1 });
    expect(failed.status === 'failed' && failed.reason).toContain('custom trainer not-registered: custom training is off');
  });

  it('accepts a client-chosen request id once: a retried POST publishes nothing more', async () => {
    const requestId = randomUUID();
    const request = body({ requestId });
    const a = await post<{ requestId: string }>(`${trainer.url}/training-requests`, request);
    const b = await post<{ requestId: string }>(`${trainer.url}/training-requests`, request);
    expect([a.status, b.status, a.body.requestId, b.body.requestId]).toEqual([202, 202, requestId, requestId]);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM trainer.outbox WHERE topic = 'mlops.training.requested' AND message_key = $1`, [
      request.modelName,
    ]);
    expect(count).toBe(1);
    // The body named integration-test; the request is the caller's, so the caller cannot approve what it asked for.
    const [{ payload }] = await dataSource.query(`SELECT payload FROM trainer.outbox WHERE topic = 'mlops.training.requested' AND message_key = $1`, [
      request.modelName,
    ]);
    expect((payload as Buffer).toString('utf8')).toContain('"requestedBy":"test-admin"');
  });

  it('refuses a body that breaks the contract with 400 naming each field', async () => {
    const missing = await post<{ message: string[] }>(`${trainer.url}/training-requests`, { featureRefs: ['nocolon'], algorithm: 'svm' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.modelName: /),
        'body.featureRefs.0: must be "<view>:<feature>"',
        expect.stringMatching(/^body\.labelSource: /),
        expect.stringMatching(/^body\.algorithm: /),
      ]),
    );
    const badParam = await post<{ message: string[] }>(`${trainer.url}/training-requests`, body({ hyperparameters: { numIterations: -1, nope: 1 } }));
    expect(badParam.status).toBe(400);
    expect(badParam.body.message.join('\n')).toMatch(/body\.hyperparameters\.nope/);
    expect((await getJson(`${trainer.url}/training-requests/not-a-uuid`)).status).toBe(400);
    expect((await getJson(`${trainer.url}/training-requests/${randomUUID()}`)).status).toBe(404);
    const docs = await getJson<{ paths: Record<string, unknown> }>(`${trainer.url}/docs-json`);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/training-requests', '/training-requests/{requestId}', '/runs/compare']));
  });

  it('shows progress while a model trains on its worker thread, then the run; any instance answers', async () => {
    const snapshot = await storeChurnSnapshot(setupStore, 3000);
    const requests = new TrainingRequestRepository(dataSource);
    const useCase = builtInTrainer(dataSource, store, registry.url);
    const request: TrainingRequest = {
      requestId: randomUUID(),
      modelName: `requests-it-${randomUUID().slice(0, 8)}`,
      featureRefs: ['usage:minutes', 'usage:tickets'],
      labelSource: { kind: 'feature', featureRef: 'labels:churned' },
      algorithm: 'gbdt_classifier',
      hyperparameters: { numIterations: 400, numLeaves: 63, minChildSamples: 2, learningRate: 0.02 },
      split: { policy: 'time', holdoutFraction: 0.2 },
      seed: 1,
      requestedBy: 'integration-test',
    };
    const seen: TrainingRequestStatus[] = [];
    let done = false;
    // While training blocked the event loop, none of these polls could run until the model was trained.
    const polling = (async () => {
      while (!done) {
        const status = await requests.status(request.requestId);
        if (status) seen.push(status);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const event = await useCase.execute(request, snapshot);
    done = true;
    await polling;
    const midway = seen.filter((s) => s.status === 'training' && s.progress !== null && s.progress.iteration < s.progress.totalIterations);
    expect(midway.length).toBeGreaterThan(0);
    expect(midway[0]).toMatchObject({ progress: { totalIterations: 400 } });

    const finished = await getJson<TrainingRequestStatus>(`${trainer.url}/training-requests/${request.requestId}`);
    expect(finished.body).toMatchObject({ requestId: request.requestId, status: 'completed', runId: event!.data.runId, modelName: request.modelName });
    const [progress] = await dataSource.query(`SELECT iteration, total_iterations FROM trainer.training_requests WHERE request_id = $1`, [request.requestId]);
    expect(progress).toEqual({ iteration: 400, total_iterations: 400 });
  });
});
