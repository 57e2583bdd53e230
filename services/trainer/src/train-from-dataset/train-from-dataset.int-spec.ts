import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import { DataSource } from 'typeorm';
import { loadPlatformConfig } from '@mlops/config';
import { decodeEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { inspectOnnxModel, InvalidTrainingData, ReferenceProfile } from '@mlops/ml';
import { createServiceDataSource, runMigrationsExclusively } from '@mlops/service-kit';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { trainerMigrations } from '../migrations';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { TrainFromDataset, TrainingRequest } from './train-from-dataset.use-case';

// Parquet specs replace thrift's ESM-only uuid (see the stand-in for why).
jest.mock('../../../../node_modules/thrift/node_modules/uuid/dist-node/index.js', () => jest.requireActual('../../../../libs/ml/src/test-support/uuid-stand-in'));

const ROWS = 600;

/** A snapshot as the feature store writes it: join key, event time, label, `<view>__<feature>` columns. */
async function writeSnapshot(path: string): Promise<void> {
  const { ParquetSchema, ParquetWriter } = await import('@dsnp/parquetjs');
  const schema = new ParquetSchema({
    customer_id: { type: 'UTF8' },
    event_time: { type: 'TIMESTAMP_MILLIS' },
    churned: { type: 'INT64', optional: true },
    usage__minutes: { type: 'DOUBLE', optional: true },
    usage__tickets: { type: 'INT64', optional: true },
  });
  const writer = await ParquetWriter.openFile(schema, path, { rowGroupSize: 256 });
  for (let r = 0; r < ROWS; r++) {
    const minutes = ((r * 7919) % 1000) / 10;
    const tickets = (r * 31) % 6;
    const churned = minutes < 40 || tickets > 3 ? 1 : 0;
    await writer.appendRow({
      customer_id: `c${r}`,
      event_time: new Date(Date.UTC(2026, 0, 1) + r * 60_000),
      churned: BigInt(churned),
      // a few missing values, as real snapshots have
      ...(r % 50 === 7 ? {} : { usage__minutes: minutes }),
      usage__tickets: BigInt(tickets),
    });
  }
  await writer.close();
}

describe('TrainFromDataset (Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer');
  const store = new ObjectStore(config.s3);
  let dataSource: DataSource;
  let useCase: TrainFromDataset;
  let snapshot: { snapshotId: string; uri: string; sha256: string; labelColumn: string; timestampColumn: string };
  const dir = mkdtempSync(join(tmpdir(), 'trainer-int-'));

  beforeAll(async () => {
    dataSource = createServiceDataSource(config, trainerMigrations);
    await dataSource.initialize();
    await runMigrationsExclusively(dataSource, config.postgres.schema);
    await store.ensureBuckets(Object.values(BUCKETS));
    const path = join(dir, 'snapshot.parquet');
    await writeSnapshot(path);
    const stored = await store.putBuffer(BUCKETS.datasets, `test/trainer/${randomUUID()}.parquet`, readFileSync(path));
    snapshot = { snapshotId: randomUUID(), uri: stored.uri, sha256: stored.sha256, labelColumn: 'churned', timestampColumn: 'event_time' };
    useCase = new TrainFromDataset(dataSource, store, new OutboxWriter('trainer'), new TrainingRunRepository());
  });

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const request = (overrides: Partial<TrainingRequest> = {}): TrainingRequest => ({
    requestId: randomUUID(),
    modelName: `trainer-it-${randomUUID().slice(0, 8)}`,
    featureRefs: ['usage:minutes', 'usage:tickets'],
    labelSource: { kind: 'feature', featureRef: 'labels:churned' },
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: 30, minChildSamples: 5 },
    split: { policy: 'time', holdoutFraction: 0.25 },
    seed: 7,
    requestedBy: 'integration-test',
    ...overrides,
  });

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
    expect(profileKey.join('/')).toBe(`${req.modelName}/runs/${completed.runId}/reference-profile.json`);
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
