import { randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { createEvent, decodeEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { openMigratedDataSource } from '@mlops/service-kit';
import { ObjectStore } from '@mlops/storage';
import { serviceTestKey, waitFor } from '@mlops/testing';
import { FeatureStoreDatasetClient } from '../feature-store/feature-store-dataset.client';
import { trainerMigrations } from '../migrations';
import { builtInTrainer, customTrainer } from '../test-support/wired-use-cases';
import { TrainOnRequest } from '../train-on-request/train-on-request.use-case';
import { loadCustomTrainingConfig, loadTrainerConfig } from '../trainer.config';
import { TrainingAttemptRepository } from '../training-runs/training-attempt.repository';
import { TrainingMetrics } from '../training-runs/training-metrics';
import { RunTrainingJobs } from './run-training-jobs.use-case';
import { TrainingJobRepository } from './training-job.repository';

const LEASE_MS = 600;

describe('RunTrainingJobs (Postgres, MinIO)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const store = new ObjectStore(config.s3);
  const logger = new JsonLogger({ service: 'trainer', level: 'error' });
  let dataSource: DataSource;
  let jobs: TrainingJobRepository;
  // Accepts connections and never answers: a feature store stuck on a long build.
  let silent: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    jobs = new TrainingJobRepository(dataSource);
    silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await dataSource?.destroy();
  });

  function runner(featureStoreUrl: string, concurrency = 1, featureStoreTimeoutMs = 600_000): RunTrainingJobs {
    const trainerConfig = { ...loadTrainerConfig({}), featureStoreUrl, featureStoreTimeoutMs, maxAttempts: 1, jobs: { concurrency, leaseMs: LEASE_MS, pollMs: 50, maxBackoffMs: 200 } };
    const customConfig = { ...loadCustomTrainingConfig({}), trainersDir: join(__dirname, '..', 'custom-training', 'test-fixtures') };
    const metrics = new TrainingMetrics(new Registry());
    const trainOnRequest = new TrainOnRequest(
      dataSource,
      new OutboxWriter('trainer'),
      new TrainingAttemptRepository(),
      new FeatureStoreDatasetClient(trainerConfig, serviceTestKey('trainer')),
      builtInTrainer(dataSource, store, 'http://127.0.0.1:9'),
      customTrainer(dataSource, store, 'http://127.0.0.1:9', customConfig),
      trainerConfig,
      metrics,
      jobs,
    );
    return new RunTrainingJobs(trainerConfig, jobs, trainOnRequest, metrics, logger);
  }

  /** A custom request naming no registered trainer: refused before any dataset is built, so its outcome is quick. */
  const unregisteredTrainer = () =>
    createEvent(
      'mlops.training.requested',
      {
        requestId: randomUUID(),
        modelName: `trainer-jobs-${randomUUID().slice(0, 8)}`,
        featureRefs: ['usage:minutes'],
        labelSource: { kind: 'feature', featureRef: 'usage:churned' },
        algorithm: 'custom',
        hyperparameters: { trainer: 'not-registered' },
        requestedBy: 'int-spec',
      },
      { source: 'monitor' },
    );

  /** A built-in algorithm: its run starts by asking the feature store for the dataset. */
  const builtInRequest = () => {
    const event = unregisteredTrainer();
    return { ...event, data: { ...event.data, algorithm: 'logistic_regression' as const, hyperparameters: {} } };
  };

  const silentUrl = () => `http://127.0.0.1:${(silent.address() as { port: number }).port}`;

  const failedEvents = async (requestId: string) =>
    ((await dataSource.query(`SELECT payload FROM trainer.outbox WHERE topic = 'mlops.training.failed'`)) as { payload: Buffer }[])
      .map((row) => decodeEvent('mlops.training.failed', row.payload))
      .filter((decoded) => decoded.ok && decoded.event.data.requestId === requestId);

  const stateOf = async (requestId: string) =>
    ((await dataSource.query(`SELECT state, tries FROM trainer.training_jobs WHERE request_id = $1`, [requestId])) as { state: string; tries: number }[])[0];

  /** Runs claim rounds until no claimable job is left (others' jobs in the shared schema included). */
  async function drain(jobRunner: RunTrainingJobs, until: () => Promise<boolean>): Promise<void> {
    await waitFor('the job ends', async () => {
      await jobRunner.claimAvailable();
      await jobRunner.idle();
      return (await until()) || undefined;
    }, { timeoutMs: 20_000 });
  }

  it('records a redelivered request once', async () => {
    const event = unregisteredTrainer();
    expect(await jobs.enqueue(event)).toBe(true);
    expect(await jobs.enqueue(event)).toBe(false);
    expect(await jobs.enqueue({ ...event, id: randomUUID() })).toBe(false);
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM trainer.training_jobs WHERE request_id = $1`, [event.data.requestId])).toEqual([{ n: 1 }]);
  });

  it('takes again a job whose runner died with it (lease not renewed) and records exactly one outcome', async () => {
    const event = unregisteredTrainer();
    await jobs.enqueue(event);
    // The dead runner: it claimed jobs (this one among them, once the queue ahead is gone) and never renewed.
    const dead = randomUUID();
    await waitFor('the dead runner holds the job', async () => {
      await jobs.claim(dead, LEASE_MS);
      return (await stateOf(event.data.requestId)).state === 'running' || undefined;
    }, { timeoutMs: 20_000 });
    expect(await jobs.claim(randomUUID(), LEASE_MS).then((job) => job?.event.data.requestId)).not.toBe(event.data.requestId);

    await drain(runner('http://127.0.0.1:1'), async () => (await stateOf(event.data.requestId)).state === 'finished');
    expect(await failedEvents(event.data.requestId)).toHaveLength(1);
    // Finished for good: the outcome committed with the end of the job, so no runner takes it again.
    await runner('http://127.0.0.1:1').claimAvailable();
    expect((await stateOf(event.data.requestId)).state).toBe('finished');
    expect(await failedEvents(event.data.requestId)).toHaveLength(1);
  });

  it('keeps a running job to its runner while the lease is renewed, and retries an unreachable feature store without failing it', async () => {
    const stuck = builtInRequest();
    await jobs.enqueue(stuck);
    // Slots for every claimable job: jobs other suites left in the shared schema are claimed too, and each would hang
    // on the silent store, holding a single slot ahead of this one.
    const holder = runner(silentUrl(), 64);
    await waitFor('the runner holds the job', async () => {
      await holder.claimAvailable();
      return (await stateOf(stuck.data.requestId)).state === 'running' || undefined;
    }, { timeoutMs: 20_000 });
    // Three lease lengths later the job is still its runner's: another runner never gets it.
    const other = randomUUID();
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
      const taken = await jobs.claim(other, LEASE_MS);
      expect(taken?.event.data.requestId).not.toBe(stuck.data.requestId);
    }
    // The store goes away: each try is put back in the queue, counted as a try, never as a failure of the request.
    for (const socket of held) socket.destroy();
    await waitFor('the try is put back', async () => ((await stateOf(stuck.data.requestId)).tries >= 1 ? true : undefined), { timeoutMs: 10_000 });
    await holder.idle();
    expect((await stateOf(stuck.data.requestId)).state).not.toBe('finished');
    expect(await failedEvents(stuck.data.requestId)).toEqual([]);
    await dataSource.query(`UPDATE trainer.training_jobs SET state = 'finished' WHERE request_id = $1`, [stuck.data.requestId]);
  });

  it('puts back a job whose feature store does not answer within the timeout, rather than wait on it for ever', async () => {
    const waiting = builtInRequest();
    await jobs.enqueue(waiting);
    const impatient = runner(silentUrl(), 64, 300);
    await waitFor('the try is put back once the store has not answered in time', async () => {
      await impatient.claimAvailable();
      return (await stateOf(waiting.data.requestId)).tries >= 1 || undefined;
    }, { timeoutMs: 20_000 });
    await impatient.idle();
    expect((await stateOf(waiting.data.requestId)).state).not.toBe('finished');
    expect(await failedEvents(waiting.data.requestId)).toEqual([]);
    await dataSource.query(`UPDATE trainer.training_jobs SET state = 'finished' WHERE request_id = $1`, [waiting.data.requestId]);
  });
});
