/** @jest-environment ./libs/ml/src/test-support/onnxruntime-environment.js */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Client } from 'minio';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localS3 } from '@mlops/config';
import { decodeEvent } from '@mlops/contracts';
import { ReferenceProfile } from '@mlops/ml';
import { openMigratedDataSource } from '@mlops/service-kit';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { ServiceProcess } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { RunLogController } from '../run-log/run-log.controller';
import { RunLogStore } from '../run-log/run-log.store';
import { storeChurnSnapshot } from '../test-support/churn-snapshot';
import { customTrainer } from '../test-support/wired-use-cases';
import type { TrainingRequest } from '../training-requests/training-request';
import { PermanentTrainingFailure } from '../train-on-request/training-failures';
import { CustomTrainingConfig, loadCustomTrainingConfig } from '../trainer.config';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { liveGroupMembers } from './test-fixtures/live-group-members';


const REPO = join(__dirname, '..', '..', '..', '..');
const ROWS = 600;

describe('TrainCustom (Postgres, MinIO, real trainer executables)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  // Inputs the trainer only reads (snapshots, label sets) are put there by the platform's admin, as in production.
  const setupStore = new ObjectStore(localS3('admin'));
  const dir = mkdtempSync(join(tmpdir(), 'train-custom-int-'));
  const trainersDir = join(dir, 'trainers');
  const customConfig: CustomTrainingConfig = { ...loadCustomTrainingConfig({ PATH: process.env.PATH, HOME: process.env.HOME }), trainersDir, timeoutMs: 120_000, killGraceMs: 300 };
  let dataSource: DataSource;
  let registry: ServiceProcess;
  let app: INestApplication;
  let snapshot: { snapshotId: string; uri: string; sha256: string; labelColumn: string; timestampColumn: string };

  beforeAll(async () => {
    registry = await ServiceProcess.start('registry');
    mkdirSync(trainersDir);
    symlinkSync(join(REPO, 'examples', 'custom-training', 'sklearn-logistic'), join(trainersDir, 'sklearn-logistic'));
    for (const fixture of ['exits-3', 'sleeps-past-timeout', 'no-model', 'unscorable']) symlinkSync(join(__dirname, 'test-fixtures', fixture), join(trainersDir, fixture));
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    snapshot = await storeChurnSnapshot(setupStore, ROWS, 'noisy');
    const moduleRef = await Test.createTestingModule({
      controllers: [RunLogController],
      providers: [{ provide: DataSource, useValue: dataSource }, TrainingRunRepository, { provide: RunLogStore, useValue: new RunLogStore(store) }],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await registry.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const useCase = (overrides: Partial<CustomTrainingConfig> = {}) => {
    const settings = { ...customConfig, ...overrides };
    return customTrainer(dataSource, store, registry.url, settings);
  };

  const customRequest = (hyperparameters: TrainingRequest['hyperparameters']): TrainingRequest => ({
    requestId: randomUUID(),
    modelName: `trainer-custom-it-${randomUUID().slice(0, 8)}`,
    featureRefs: ['usage:minutes', 'usage:tickets'],
    labelSource: { kind: 'dataset', uri: snapshot.uri, sha256: snapshot.sha256 },
    algorithm: 'custom',
    hyperparameters,
    split: { policy: 'time', holdoutFraction: 0.25 },
    seed: 7,
    requestedBy: 'integration-test',
  });

  const runRows = (requestId: string) => dataSource.query(`SELECT * FROM trainer.training_runs WHERE request_id = $1`, [requestId]) as Promise<Record<string, unknown>[]>;

  it('runs the sklearn example, scores its ONNX on the platform holdout and records the run with its log', async () => {
    const req = customRequest({ trainer: 'sklearn-logistic', C: 0.5 });
    const event = await useCase().execute(req, snapshot);
    expect(event).not.toBeNull();

    const [row] = (await dataSource.query(`SELECT topic, payload FROM trainer.outbox WHERE event_id = $1`, [event!.id])) as { topic: string; payload: Buffer }[];
    expect(row.topic).toBe('mlops.training.completed');
    const decoded = decodeEvent('mlops.training.completed', row.payload);
    if (!decoded.ok) throw new Error(`outbox payload does not decode: ${JSON.stringify(decoded)}`);
    const completed = decoded.event.data;
    expect(completed).toMatchObject({ requestId: req.requestId, algorithm: 'custom', params: { trainer: 'sklearn-logistic', C: 0.5, seed: 7 } });
    expect(completed.codeVersion).toMatch(/^custom\/sklearn-logistic@sha256:[0-9a-f]{64}$/);
    expect(Object.keys(completed.metrics).sort()).toEqual(
      ['accuracy', 'auc', 'brier', 'f1', 'log_loss', 'precision', 'recall', 'reported_accuracy', 'reported_auc', 'reported_log_loss'],
    );
    expect(completed.metrics.auc).toBeGreaterThan(0.8);
    // the script was told the platform's holdout rows, so its own AUC is on the same rows
    expect(completed.metrics.auc).toBeCloseTo(completed.metrics.reported_auc, 3);

    const model = await store.readVerified(completed.artifact.uri, completed.artifact.sha256);
    const session = await InferenceSession.create(model);
    const outputs = await session.run({ features: new Tensor('float32', Float32Array.from([10, 5, 95, 0, Number.NaN, 1]), [3, 2]) });
    expect(outputs.probabilities.dims).toEqual([3, 2]);
    const p = outputs.probabilities.data as Float32Array;
    expect(p[1]).toBeGreaterThan(0.5); // few minutes, many tickets: churns
    expect(p[3]).toBeLessThan(0.5);
    await session.release();

    const [profileBucket, ...profileKey] = completed.referenceProfileUri.replace('s3://', '').split('/');
    const profile = ReferenceProfile.parse(JSON.parse(await text(await new Client(config.s3).getObject(profileBucket, profileKey.join('/')))));
    expect(profile.rowCount).toBe(450);
    expect(profile.predictions.map((c) => c.name)).toEqual(['probability', 'label']);

    const [run] = await runRows(req.requestId);
    expect(run).toMatchObject({ run_id: completed.runId, algorithm: 'custom', params: { C: 0.5, seed: 7 }, loss_curve: [] });
    expect(run.log_uri).toBe(`s3://${BUCKETS.artifacts}/runs/${req.modelName}/${completed.runId}/log.txt`);

    const log = await request(app.getHttpServer()).get(`/runs/${completed.runId}/log`);
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toMatch(/^text\/plain/);
    expect(log.text).toContain('dataset: 600 rows, 2 features; training on 450, holding out 150');
    expect(log.text).toContain('[mlops-trainer] custom trainer sklearn-logistic');
    expect(log.text).toContain('[mlops-trainer] scored on the platform holdout (150 rows, classification): auc=');

    expect(await useCase().execute(req, snapshot)).toBeNull();
    expect(await runRows(req.requestId)).toHaveLength(1);
  });

  it('serves 400 for a bad run id and 404 for an unknown run', async () => {
    const bad = await request(app.getHttpServer()).get('/runs/not-a-uuid/log');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('id: must be a uuid');
    const missing = await request(app.getHttpServer()).get(`/runs/${randomUUID()}/log`);
    expect(missing.status).toBe(404);
  });

  it('reports a non-zero exit with its code and last lines, recording nothing', async () => {
    const req = customRequest({ trainer: 'exits-3' });
    const failure = useCase().execute(req, snapshot);
    await expect(failure).rejects.toBeInstanceOf(PermanentTrainingFailure);
    const message = await failure.catch((err: Error) => err.message);
    expect(message).toContain('custom trainer exits-3 failed: exit code 3');
    expect(message).toContain('Traceback (most recent call last):\nValueError: column usage__minutes holds strings');
    expect(await runRows(req.requestId)).toEqual([]);
  });

  it('kills a trainer past the timeout with its whole process group and reports the timeout', async () => {
    const message = await useCase({ timeoutMs: 1000 })
      .execute(customRequest({ trainer: 'sleeps-past-timeout' }), snapshot)
      .then(() => 'resolved', (err: Error) => err.message);
    expect(message).toMatch(/^custom trainer sleeps-past-timeout failed: timed out after 1s \(process group killed\); last 1 lines of output:\nprocess group \d+$/);
    const pgid = Number(/process group (\d+)$/.exec(message)![1]);
    expect(liveGroupMembers(pgid)).toEqual([]);
  });

  it('refuses an unknown trainer by name, and any custom request when no trainers directory is set', async () => {
    await expect(useCase().execute(customRequest({ trainer: 'nope' }), snapshot)).rejects.toThrow(
      'unknown custom trainer "nope": no executable train in ' + join(trainersDir, 'nope') + ' (registered: exits-3, no-model, sklearn-logistic, sleeps-past-timeout, unscorable)',
    );
    await expect(useCase({ trainersDir: null }).execute(customRequest({ trainer: 'sklearn-logistic' }), snapshot)).rejects.toThrow(
      'custom training is off (MLOPS_TRAINER_CUSTOM_TRAINERS_DIR is not set)',
    );
  });

  it('records a model the platform cannot score with its reported metrics only, saying why in the log', async () => {
    const req = customRequest({ trainer: 'unscorable' });
    const event = await useCase().execute(req, snapshot);
    expect(event!.data.metrics).toEqual({ reported_auc: 0.77 });
    const [profileBucket, ...profileKey] = event!.data.referenceProfileUri.replace('s3://', '').split('/');
    const profile = ReferenceProfile.parse(JSON.parse(await text(await new Client(config.s3).getObject(profileBucket, profileKey.join('/')))));
    expect(profile.features.map((c) => c.name)).toEqual(['usage__minutes', 'usage__tickets']);
    expect(profile.predictions).toEqual([]);
    const log = await request(app.getHttpServer()).get(`/runs/${event!.data.runId}/log`);
    expect(log.text).toContain('wrote a 3-feature model');
    expect(log.text).toMatch(/model.onnx cannot be scored on the platform holdout \(.*3 features.*\): only its reported metrics are recorded/);
  });

  it('fails a trainer that exits 0 without model.onnx', async () => {
    await expect(useCase().execute(customRequest({ trainer: 'no-model' }), snapshot)).rejects.toThrow(
      'custom trainer no-model failed: it exited 0 but wrote no model.onnx; last 1 lines of output:\ndone (forgot the model)',
    );
  });
});

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
