import { randomUUID } from 'node:crypto';
import { createServer, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials, localKafkaConnection } from '@mlops/config';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { openMigratedDataSource } from '@mlops/service-kit';
import { getJson, ServiceProcess, waitFor } from '@mlops/testing';
import { trainerMigrations } from '../migrations';

describe('trainer service: a training request is recorded as a job, the consumer is never held by the training', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', `trainer-jobs-it-${randomUUID().slice(0, 8)}`)));
  const modelName = `trainer-jobs-${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let trainer: ServiceProcess;
  // Accepts connections and never answers: a feature store stuck on a long dataset build.
  let silent: Server;
  const held: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_FEATURE_STORE_URL: `http://127.0.0.1:${port}`, MLOPS_TRAINER_JOB_CONCURRENCY: '1', MLOPS_TRAINER_JOB_POLL_MS: '100' });
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    await Promise.all([trainer.waitUntilReady(), publisher.connect()]);
  }, 120_000);

  afterAll(async () => {
    // Nothing of this suite is left for another runner in the shared schema to retry.
    await dataSource?.query(`UPDATE trainer.training_jobs SET state = 'finished' WHERE model_name = $1`, [modelName]);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    await Promise.all([trainer?.stop(), publisher.disconnect(), dataSource?.destroy()]);
  });

  // One model, so every request is keyed to the same partition.
  const requested = () =>
    createEvent(
      'mlops.training.requested',
      {
        requestId: randomUUID(),
        modelName,
        featureRefs: ['usage:minutes'],
        labelSource: { kind: 'feature', featureRef: 'usage:churned' },
        algorithm: 'logistic_regression',
        requestedBy: 'int-spec',
      },
      { source: 'monitor' },
    );

  const jobsOf = async (requestId: string) =>
    (await dataSource.query(`SELECT state FROM trainer.training_jobs WHERE request_id = $1`, [requestId])) as { state: string }[];

  it('queues a second request while the first is still blocked on the feature store, and a redelivery adds no job', async () => {
    const first = requested();
    await publisher.publish('mlops.training.requested', first);
    // The topic is shared: older requests may be queued ahead of this one, so the runner's one slot may hold any
    // of them. What matters is that a job is stuck on the feature store while the first request is unfinished.
    await waitFor('the first request recorded and a job stuck on the feature store', async () =>
      (await jobsOf(first.data.requestId)).length === 1 && held.length > 0 ? true : undefined, { timeoutMs: 120_000 });

    const second = requested();
    await publisher.publish('mlops.training.requested', first);
    await publisher.publish('mlops.training.requested', { ...first, id: randomUUID() });
    await publisher.publish('mlops.training.requested', second);
    await waitFor('the second job recorded', async () => ((await jobsOf(second.data.requestId)).length === 1 ? true : undefined), { timeoutMs: 30_000 });

    expect(await jobsOf(first.data.requestId)).toEqual([{ state: expect.stringMatching(/^(queued|running)$/) }]);
    expect(await jobsOf(second.data.requestId)).toEqual([{ state: 'queued' }]);
    expect(held.filter((socket) => !socket.destroyed).length).toBeGreaterThan(0);
    const status = await getJson<{ status: string; modelName: string }>(`${trainer.url}/training-requests/${second.data.requestId}`);
    expect(status.body).toMatchObject({ status: 'queued', modelName });
  }, 200_000);
});
