import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localS3 } from '@mlops/config';
import { createHttpClient, HttpCallError, type SubmittedTrainingRequest, trainerRoutes, type TrainingRequestStatus } from '@mlops/contracts';
import { openMigratedDataSource } from '@mlops/service-kit';
import { ObjectStore } from '@mlops/storage';
import { ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { builtInTrainer } from '../test-support/wired-use-cases';
import { storeChurnSnapshot } from '../test-support/churn-snapshot';
import type { TrainingRequest } from '../training-requests/training-request';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';

/** The refusal a call must end in: its status and the service's messages. */
const refusal = (answer: Promise<unknown>) =>
  answer.then(
    () => Promise.reject(new Error('the trainer accepted it')),
    (err: HttpCallError) => ({ status: err.status, message: [(err.body as { message: string | string[] }).message].flat() }),
  );

describe('training requests API (trainer process, Kafka, Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  let trainer: ServiceProcess;
  let registry: ServiceProcess;
  let dataSource: DataSource;
  const api = () => createHttpClient(trainerRoutes, { baseUrl: trainer.url, apiKey: testApiKey('admin') });

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

  const body = (overrides: Record<string, unknown> = {}) =>
    ({
      modelName: `requests-it-${randomUUID().slice(0, 8)}`,
      featureRefs: ['usage:minutes'],
      labelSource: { kind: 'dataset', uri: `s3://mlops-datasets/uploads/missing/${randomUUID()}.csv`, sha256: 'c'.repeat(64) },
      algorithm: 'gbdt_classifier',
      hyperparameters: { numIterations: 5 },
      requestedBy: 'integration-test',
      ...overrides,
    }) as SubmittedTrainingRequest & { modelName: string };

  it('queues a request through the outbox and follows it to its end (here: failed, with the reason)', async () => {
    const submitted = await api().submitTrainingRequest({ body: body({ algorithm: 'custom', hyperparameters: { trainer: 'not-registered' } }) });
    expect(submitted).toEqual({ requestId: expect.any(String), status: 'queued' });
    const status = () => api().trainingRequestStatus({ params: { requestId: submitted.requestId } });
    expect(['queued', 'training', 'failed']).toContain((await status()).status);

    // The relay publishes mlops.training.requested; no trainer of that name is registered, a permanent failure.
    const failed = await waitFor('the request failed', async () => {
      const now = await status();
      return now.status === 'failed' ? now : undefined;
    });
    expect(failed).toMatchObject({ requestId: submitted.requestId, status: 'failed', attempts: 1 });
    expect(failed.status === 'failed' && failed.reason).toContain('custom trainer not-registered: custom training is off');
  });

  it('accepts a client-chosen request id once: a retried POST publishes nothing more', async () => {
    const requestId = randomUUID();
    const request = body({ requestId });
    const a = await api().submitTrainingRequest({ body: request });
    const b = await api().submitTrainingRequest({ body: request });
    expect([a.requestId, b.requestId]).toEqual([requestId, requestId]);
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
    const missing = await refusal(api().submitTrainingRequest({ body: { featureRefs: ['nocolon'], algorithm: 'svm' } as never }));
    expect(missing.status).toBe(400);
    expect(missing.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^body\.modelName: /),
        'body.featureRefs.0: must be "<view>:<feature>"',
        expect.stringMatching(/^body\.labelSource: /),
        expect.stringMatching(/^body\.algorithm: /),
      ]),
    );
    const badParam = await refusal(api().submitTrainingRequest({ body: body({ hyperparameters: { numIterations: -1, nope: 1 } }) }));
    expect(badParam.status).toBe(400);
    expect(badParam.message.join('\n')).toMatch(/body\.hyperparameters\.nope/);
    expect(await refusal(api().trainingRequestStatus({ params: { requestId: 'not-a-uuid' } }))).toEqual({ status: 400, message: ['path.requestId: must be a uuid'] });
    expect((await refusal(api().trainingRequestStatus({ params: { requestId: randomUUID() } }))).status).toBe(404);
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

    const finished = await api().trainingRequestStatus({ params: { requestId: request.requestId } });
    expect(finished).toMatchObject({ requestId: request.requestId, status: 'completed', runId: event!.data.runId, modelName: request.modelName });
    const [progress] = await dataSource.query(`SELECT iteration, total_iterations FROM trainer.training_requests WHERE request_id = $1`, [request.requestId]);
    expect(progress).toEqual({ iteration: 400, total_iterations: 400 });
  });
});
