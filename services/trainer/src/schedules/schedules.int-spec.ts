import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { createHttpClient, decodeEvent, HttpCallError, type ScheduledRequestTemplate, trainerRoutes, type TrainingScheduleRequest } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { createServiceDataSource, openMigratedDataSource } from '@mlops/service-kit';
import { ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { trainerMigrations } from '../migrations';
import { FireDueSchedules } from './fire-due-schedules.use-case';
import { TrainingScheduleRepository } from './training-schedule.repository';

const template: ScheduledRequestTemplate = {
  featureRefs: ['usage:minutes'],
  labelSource: { kind: 'dataset', uri: 's3://mlops-datasets/labels/churn.csv', sha256: 'c'.repeat(64) },
  algorithm: 'logistic_regression',
  hyperparameters: {},
  split: { policy: 'time', holdoutFraction: 0.2 },
  seed: 7,
};

describe('training schedules (Postgres)', () => {
  const config = loadPlatformConfig('trainer', localCredentials('trainer'));
  let dataSource: DataSource;
  let repository: TrainingScheduleRepository;
  let fireDue: FireDueSchedules;

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(config, trainerMigrations);
    repository = new TrainingScheduleRepository(dataSource);
    fireDue = new FireDueSchedules(dataSource, repository, new OutboxWriter('trainer'), new JsonLogger({ service: 'trainer', level: 'error' }));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  async function schedule(nextFireAt: Date, enabled = true): Promise<string> {
    const modelName = `sched-it-${randomUUID().slice(0, 8)}`;
    await repository.upsert({ modelName, cron: '0 * * * *', request: template, enabled, nextFireAt });
    return modelName;
  }

  async function requestsInOutbox(modelName: string) {
    const rows: { payload: Buffer }[] = await dataSource.query(
      `SELECT payload FROM trainer.outbox WHERE topic = 'mlops.training.requested' AND message_key = $1`,
      [modelName],
    );
    return rows.map((row) => {
      const decoded = decodeEvent('mlops.training.requested', row.payload);
      if (!decoded.ok) throw new Error(decoded.error);
      return decoded.event.data;
    });
  }

  it('fires a due schedule once, with the template, and moves it to its next slot after now', async () => {
    const modelName = await schedule(new Date('2026-11-23T10:00:00Z'));
    const now = new Date('2026-11-23T12:34:00Z');
    const fired = await fireDue.execute(now);
    const requests = await requestsInOutbox(modelName);
    expect(requests).toHaveLength(1);
    expect(fired).toContain(requests[0].requestId);
    expect(requests[0]).toMatchObject({ ...template, modelName, requestedBy: 'schedule' });
    expect(requests[0].reason).toContain('2026-11-23T10:00:00.000Z');
    // Missed slots (11:00, 12:00) are not replayed; the next is the first after now.
    expect(await repository.find(modelName)).toMatchObject({
      nextFireAt: '2026-11-23T13:00:00.000Z',
      lastFiredAt: '2026-11-23T10:00:00.000Z',
      lastRequestId: requests[0].requestId,
    });
    await fireDue.execute(now);
    expect(await requestsInOutbox(modelName)).toHaveLength(1);
  });

  it('skips a schedule whose stored request no longer meets the contract, and still fires the others', async () => {
    const stale = await schedule(new Date('2026-11-23T10:00:00Z'));
    const sound = await schedule(new Date('2026-11-23T10:00:00Z'));
    // As stored before labelSource.sha256 was required.
    await dataSource.query(`UPDATE trainer.training_schedules SET request_template = request_template #- '{labelSource,sha256}' WHERE model_name = $1`, [stale]);
    await fireDue.execute(new Date('2026-11-23T12:34:00Z'));
    expect(await requestsInOutbox(sound)).toHaveLength(1);
    expect(await requestsInOutbox(stale)).toEqual([]);
    expect(await dataSource.query(`SELECT next_fire_at FROM trainer.training_schedules WHERE model_name = $1`, [stale])).toEqual([
      { next_fire_at: new Date('2026-11-23T13:00:00Z') },
    ]);
    // Gone again: the schedules API would answer its row outside the contract, which the typed client refuses.
    await repository.remove(stale);
  });

  it('fires a slot once when instances tick at the same moment', async () => {
    const modelName = await schedule(new Date('2026-11-23T10:00:00Z'));
    const now = new Date('2026-11-23T10:00:30Z');
    await Promise.all([fireDue.execute(now), fireDue.execute(now), fireDue.execute(now)]);
    expect(await requestsInOutbox(modelName)).toHaveLength(1);
  });

  it('leaves schedules that are not due or disabled alone', async () => {
    const future = await schedule(new Date('2099-01-01T00:00:00Z'));
    const disabled = await schedule(new Date('2026-11-23T10:00:00Z'), false);
    await fireDue.execute(new Date('2026-11-23T12:00:00Z'));
    expect(await requestsInOutbox(future)).toHaveLength(0);
    expect(await requestsInOutbox(disabled)).toHaveLength(0);
  });
});

describe('schedules API (trainer process)', () => {
  let trainer: ServiceProcess;
  const modelName = `sched-api-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    trainer = await ServiceProcess.start('trainer', { MLOPS_TRAINER_SCHEDULE_TICK_MS: '200' });
    await trainer.waitUntilReady();
  }, 120_000);

  afterAll(async () => {
    await trainer?.stop();
  });

  const api = () => createHttpClient(trainerRoutes, { baseUrl: trainer.url, apiKey: testApiKey('admin') });
  const put = (model: string, body: unknown) => api().setSchedule({ params: { model }, body: body as TrainingScheduleRequest });
  const status = (answer: Promise<unknown>) => answer.then(() => 200, (err: HttpCallError) => err.status);

  it('stores a schedule with its next firing, lists, shows and deletes it', async () => {
    const before = Date.now();
    const body = await put(modelName, { cron: '@daily', request: template });
    expect(body.enabled).toBe(true);
    const next = new Date(body.nextFireAt);
    expect(next.getTime()).toBeGreaterThan(before);
    expect(next.toISOString()).toMatch(/T00:00:00\.000Z$/);

    const listed = await api().listSchedules();
    expect(listed.items.map((s) => s.modelName)).toContain(modelName);
    expect((await api().getSchedule({ params: { model: modelName } })).cron).toBe('@daily');
    await api().removeSchedule({ params: { model: modelName } });
    expect(await status(api().getSchedule({ params: { model: modelName } }))).toBe(404);
  });

  it('fires a schedule from the running service once it is due', async () => {
    const model = `sched-tick-${randomUUID().slice(0, 8)}`;
    await put(model, { cron: '0 3 * * *', request: template });
    const dataSource = createServiceDataSource(loadPlatformConfig('trainer', localCredentials('trainer')), trainerMigrations);
    await dataSource.initialize();
    try {
      await dataSource.query(`UPDATE trainer.training_schedules SET next_fire_at = now() - interval '1 minute' WHERE model_name = $1`, [model]);
    } finally {
      await dataSource.destroy();
    }
    const fired = await waitFor('the schedule to fire', async () => {
      const schedule = await api().getSchedule({ params: { model } });
      return schedule.lastRequestId ? schedule : undefined;
    });
    expect(new Date(fired.nextFireAt).getTime()).toBeGreaterThan(Date.now());
  });

  it.each([
    ['a minute out of range', { cron: '61 * * * *', request: template }, 'body.cron: \\"61 * * * *\\" is not a cron expression (Invalid value for minute: 61)'],
    ['an unknown algorithm', { cron: '0 3 * * *', request: { ...template, algorithm: 'svm' } }, 'body.request.algorithm'],
    ['no features', { cron: '0 3 * * *', request: { ...template, featureRefs: [] } }, 'body.request.featureRefs'],
    ['no cron', { request: template }, 'body.cron'],
  ])('refuses %s with 400 naming the field', async (_case, body, field) => {
    const refused = await put(modelName, body).then(() => undefined, (err: HttpCallError) => err);
    expect(refused?.status).toBe(400);
    expect(JSON.stringify(refused?.body)).toContain(field);
  });
});
