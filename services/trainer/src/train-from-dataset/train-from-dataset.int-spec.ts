import { Client } from 'minio';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localS3 } from '@mlops/config';
import { decodeEvent } from '@mlops/contracts';
import { inspectOnnxModel, InvalidTrainingData, ReferenceProfile } from '@mlops/ml';
import { openMigratedDataSource } from '@mlops/service-kit';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { ServiceProcess } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { RunLogStore } from '../run-log/run-log.store';
import { builtInTrainer } from '../test-support/wired-use-cases';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { churnRequest, storeChurnSnapshot } from '../test-support/churn-snapshot';
import { TrainFromDataset } from './train-from-dataset.use-case';


describe('TrainFromDataset (Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  let dataSource: DataSource;
  let useCase: TrainFromDataset;
  let registry: ServiceProcess;
  let snapshot: Awaited<ReturnType<typeof storeChurnSnapshot>>;

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry');
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    snapshot = await storeChurnSnapshot(setupStore, 600);
    useCase = builtInTrainer(dataSource, store, registry.url);
    await registry.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await registry?.stop();
  });

  const request = churnRequest;

  const outboxRows = (eventId: string) =>
    dataSource.query(`SELECT topic, message_key, payload FROM trainer.outbox WHERE event_id = $1`, [eventId]) as Promise<
      { topic: string; message_key: string; payload: Buffer }[]
    >;

  it('trains, stores model.onnx and the profile, records the run and enqueues training.completed', async () => {
    const req = request();
    const event = await useCase.execute(req, snapshot);
    expect(event).not.toBeNull();
    const [row] = await outboxRows(event!.id);
    expect(row.topic).toBe('mlops.training.completed');
    expect(row.message_key).toBe(req.modelName);
    const decoded = decodeEvent('mlops.training.completed', row.payload);
    if (!decoded.ok) throw new Error(`outbox payload does not decode: ${JSON.stringify(decoded)}`);
    const completed = decoded.event.data;
    expect(completed).toMatchObject({ requestId: req.requestId, modelName: req.modelName, algorithm: 'gbdt_classifier', championMetrics: null });
    expect(completed.dataset).toEqual({ snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 });
    expect(completed.params).toMatchObject({ numIterations: 30, minChildSamples: 5, learningRate: 0.1, seed: 7 });
    expect(completed.metrics.auc).toBeGreaterThan(0.9);

    const model = await store.readVerified(completed.artifact.uri, completed.artifact.sha256);
    expect(model.length).toBe(completed.artifact.sizeBytes);
    const signature = await inspectOnnxModel(model);
    expect(signature.inputs).toEqual([{ name: 'features', elementType: 'float32', shape: [null, 2] }]);
    expect(signature.outputs.map((o) => o.name)).toEqual(['label', 'probabilities']);

    const [profileBucket, ...profileKey] = completed.referenceProfileUri.replace('s3://', '').split('/');
    expect(profileBucket).toBe(BUCKETS.artifacts);
    // the event carries the profile's location only, so it is read back without a hash to check
    const profileObject = await new Client(config.s3).getObject(profileBucket, profileKey.join('/'));
    const profile = ReferenceProfile.parse(JSON.parse(await text(profileObject)));
    expect(profileKey.join('/')).toBe(`runs/${req.modelName}/${completed.runId}/reference-profile.json`);
    expect(profile.rowCount).toBe(450);
    expect(profile.features.map((f) => [f.name, f.nullCount])).toEqual([
      ['usage__minutes', expect.any(Number)],
      ['usage__tickets', 0],
    ]);
    expect(profile.features[0].nullCount).toBeGreaterThan(0);

    const [run] = await dataSource.query(`SELECT run_id, metrics, loss_curve, artifact_sha256, code_version FROM trainer.training_runs WHERE request_id = $1`, [req.requestId]);
    expect(run.run_id).toBe(completed.runId);
    expect(run.metrics).toEqual(completed.metrics);
    expect(run.loss_curve).toHaveLength(30);
    expect(run.artifact_sha256.trim()).toBe(completed.artifact.sha256);

    const logObject = await new TrainingRunRepository(dataSource).findLog(completed.runId);
    if (!logObject) throw new Error('the run has no log');
    const log = await new RunLogStore(store).read(logObject);
    expect(log).toContain(`request ${req.requestId}: gbdt_classifier for model ${req.modelName}, seed 7`);
    expect(log).toContain('450 training rows, 150 holdout rows');
    expect(log.match(/^iteration \d+: train loss /gm)).toHaveLength(30);
    expect(log).toContain(`holdout metrics ${JSON.stringify(completed.metrics)}`);
    expect(log).toContain('no champion to compare with');
  });

  it('does not train or announce a request twice', async () => {
    const req = request({ algorithm: 'logistic_regression', hyperparameters: {} });
    const first = await useCase.execute(req, snapshot);
    expect(first).not.toBeNull();
    expect(await useCase.execute(req, snapshot)).toBeNull();
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM trainer.training_runs WHERE request_id = $1`, [req.requestId]);
    expect(count).toBe(1);
  });

  it('produces the same model bytes for the same snapshot, params and seed', async () => {
    const a = await useCase.execute(request(), snapshot);
    const b = await useCase.execute(request(), snapshot);
    expect(a!.data.artifact.sha256).toBe(b!.data.artifact.sha256);
  });

  it('refuses a feature the snapshot does not have, recording nothing', async () => {
    const req = request({ featureRefs: ['usage:minutes', 'usage:nope'] });
    await expect(useCase.execute(req, snapshot)).rejects.toThrow(InvalidTrainingData);
    await expect(useCase.execute(req, snapshot)).rejects.toThrow(/column usage__nope is not in the file/);
    const rows = await dataSource.query(`SELECT 1 FROM trainer.training_runs WHERE request_id = $1`, [req.requestId]);
    expect(rows).toHaveLength(0);
  });
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
