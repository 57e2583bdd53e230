import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localS3 } from '@mlops/config';
import { createEvent, decodeEvent, PlatformEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { openMigratedDataSource } from '@mlops/service-kit';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { postJson, serviceTestKey, ServiceProcess } from '@mlops/testing';
import { FeatureStoreDatasetClient } from '../feature-store/feature-store-dataset.client';
import { trainerMigrations } from '../migrations';
import { builtInTrainer, customTrainer } from '../test-support/wired-use-cases';
import { TrainingJobRepository } from '../training-jobs/training-job.repository';
import { TrainingAttemptRepository } from '../training-runs/training-attempt.repository';
import { TrainingMetrics } from '../training-runs/training-metrics';
import { TrainOnRequest } from './train-on-request.use-case';
import { PermanentTrainingFailure, TransientTrainingFailure } from './training-failures';
import { loadCustomTrainingConfig, loadTrainerConfig } from '../trainer.config';

const MAX_ATTEMPTS = 2;

describe('TrainOnRequest retry bound (feature store process, Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  let dataSource: DataSource;
  let featureStore: ServiceProcess;
  let labels: { uri: string; sha256: string };
  // A real view, so the feature store gets as far as reading the label CSV.
  const view = `trainer_labels_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    featureStore = await ServiceProcess.start('feature-store', { MLOPS_FEATURE_STORE_GRPC_PORT: '0' });
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    labels = await setupStore.putBuffer(BUCKETS.datasets, `uploads/test/trainer/${randomUUID()}.csv`, Buffer.from('id,event_timestamp,label\n1,2026-01-01T00:00:00Z,1\n'));
    await featureStore.waitUntilReady();
    expect((await postJson(`${featureStore.url}/entities`, { name: view, joinKeys: [{ name: 'id', type: 'int64' }] })).status).toBe(200);
    const definition = { name: view, entities: [view], source: { topic: `${view}.src`, eventTimeField: 'ts' }, schema: [{ name: 'minutes', type: 'float64' }], ttlSeconds: 86400, owner: 'int-spec' };
    expect((await postJson(`${featureStore.url}/feature-views`, definition)).status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await featureStore?.stop();
  });

  const customConfig = { ...loadCustomTrainingConfig({}), trainersDir: join(__dirname, '..', 'custom-training', 'test-fixtures') };

  /** The use case against a feature store at featureStoreUrl; nothing in these cases reaches training. */
  function useCase(featureStoreUrl: string): TrainOnRequest {
    const trainerConfig = { ...loadTrainerConfig({}), featureStoreUrl, maxAttempts: MAX_ATTEMPTS };
    const outbox = new OutboxWriter('trainer');
    return new TrainOnRequest(
      dataSource,
      outbox,
      new TrainingAttemptRepository(),
      new FeatureStoreDatasetClient(trainerConfig, serviceTestKey('trainer')),
      // No case here gets as far as the champion lookup, so no registry runs.
      builtInTrainer(dataSource, store, 'http://127.0.0.1:9'),
      customTrainer(dataSource, store, 'http://127.0.0.1:9', customConfig),
      trainerConfig,
      new TrainingMetrics(new Registry()),
      new TrainingJobRepository(dataSource),
    );
  }

  const requested = (labelSource: PlatformEvent<'mlops.training.requested'>['data']['labelSource']) =>
    createEvent(
      'mlops.training.requested',
      {
        requestId: randomUUID(),
        modelName: `trainer-it-${randomUUID().slice(0, 8)}`,
        featureRefs: [`${view}:minutes`],
        labelSource,
        algorithm: 'logistic_regression',
        requestedBy: 'int-spec',
      },
      { source: 'monitor' },
    );

  const failedEvents = async (requestId: string) =>
    ((await dataSource.query(`SELECT payload FROM trainer.outbox WHERE topic = 'mlops.training.failed'`)) as { payload: Buffer }[])
      .map((row) => {
        const decoded = decodeEvent('mlops.training.failed', row.payload);
        if (!decoded.ok) throw new Error(`outbox payload does not decode: ${JSON.stringify(decoded)}`);
        return decoded.event;
      })
      .filter((event) => event.data.requestId === requestId);

  const attemptsOf = async (requestId: string) =>
    (await dataSource.query(`SELECT failed_attempts FROM trainer.training_attempts WHERE request_id = $1`, [requestId])) as { failed_attempts: number }[];

  it('never counts an unreachable feature store toward the bound', async () => {
    const trainOnRequest = useCase('http://127.0.0.1:1');
    const event = requested({ kind: 'dataset', ...labels });
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await expect(trainOnRequest.execute(event)).rejects.toBeInstanceOf(TransientTrainingFailure);
    expect(await attemptsOf(event.data.requestId)).toEqual([]);
    expect(await failedEvents(event.data.requestId)).toEqual([]);
  });

  it('rethrows a failure of the request until the bound, then enqueues mlops.training.failed once', async () => {
    const trainOnRequest = useCase(featureStore.url);
    const event = requested({ kind: 'dataset', uri: `s3://${BUCKETS.datasets}/uploads/test/trainer/${randomUUID()}-missing.csv`, sha256: labels.sha256 });
    await expect(trainOnRequest.execute(event)).rejects.toBeInstanceOf(PermanentTrainingFailure);
    expect(await failedEvents(event.data.requestId)).toEqual([]);
    await trainOnRequest.execute(event);
    await trainOnRequest.execute(event);
    const failed = await failedEvents(event.data.requestId);
    expect(failed).toHaveLength(1);
    expect(failed[0].data).toMatchObject({ modelName: event.data.modelName, attempts: MAX_ATTEMPTS });
    expect(failed[0].data.reason).toBe('feature store refused the dataset (400): entitySource.uri: no such object');
    expect(await attemptsOf(event.data.requestId)).toEqual([{ failed_attempts: MAX_ATTEMPTS }]);
  });

  it('fails a custom request naming an unregistered trainer before building any dataset', async () => {
    const trainOnRequest = useCase('http://127.0.0.1:1');
    const event = createEvent(
      'mlops.training.requested',
      {
        requestId: randomUUID(),
        modelName: `trainer-it-${randomUUID().slice(0, 8)}`,
        featureRefs: ['usage:minutes'],
        labelSource: { kind: 'dataset', ...labels },
        algorithm: 'custom',
        hyperparameters: { trainer: 'not-registered' },
        requestedBy: 'int-spec',
      },
      { source: 'monitor' },
    );
    await expect(trainOnRequest.execute(event)).rejects.toThrow(/unknown custom trainer "not-registered".*registered: exits-3, floods/);
    await trainOnRequest.execute(event);
    const failed = await failedEvents(event.data.requestId);
    expect(failed.map((e) => e.data.reason)).toEqual([expect.stringContaining('unknown custom trainer "not-registered"')]);
  });

  it('asks for the label CSV pinned by the request: one replaced since is refused, never read by the trainer to hash it', async () => {
    const key = `uploads/test/trainer/${randomUUID()}.csv`;
    const original = await setupStore.putBuffer(BUCKETS.datasets, key, Buffer.from('id,event_timestamp,label\n1,2026-01-01T00:00:00Z,1\n'));
    await setupStore.putBuffer(BUCKETS.datasets, key, Buffer.from('id,event_timestamp,label\n2,2026-01-02T00:00:00Z,0\n'));
    const event = requested({ kind: 'dataset', uri: original.uri, sha256: original.sha256 });
    await expect(useCase(featureStore.url).execute(event)).rejects.toThrow(
      `feature store refused the dataset (400): entitySource: integrity check failed for ${original.uri}: expected sha256 ${original.sha256}`,
    );
  });
});
