import { checkReadiness, ReadinessProbe } from './readiness';

const up = (name: string): ReadinessProbe => ({ name, check: async () => undefined });
const failing = (name: string, message: string): ReadinessProbe => ({
  name,
  check: async () => {
    throw new Error(message);
  },
});

describe('checkReadiness', () => {
  it('is ready when every probe answers', async () => {
    expect(await checkReadiness([up('kafka'), up('postgres')], { timeoutMs: 1000 })).toEqual({
      status: 'ready',
      checks: { kafka: { status: 'up' }, postgres: { status: 'up' } },
    });
  });

  it('reports every failing probe with its error', async () => {
    const probes = [failing('kafka', 'broker unreachable'), up('postgres'), failing('minio', 'access denied')];
    expect(await checkReadiness(probes, { timeoutMs: 1000 })).toEqual({
      status: 'not_ready',
      checks: {
        kafka: { status: 'down', error: 'broker unreachable' },
        postgres: { status: 'up' },
        minio: { status: 'down', error: 'access denied' },
      },
    });
  });

  it('reports a probe that throws synchronously or rejects with a non-error', async () => {
    const sync: ReadinessProbe = {
      name: 'sync',
      check: () => {
        throw new Error('not connected');
      },
    };
    const odd: ReadinessProbe = { name: 'odd', check: () => Promise.reject('plain string') };
    const report = await checkReadiness([sync, odd], { timeoutMs: 1000 });
    expect(report.checks).toEqual({
      sync: { status: 'down', error: 'not connected' },
      odd: { status: 'down', error: 'plain string' },
    });
  });

  it('counts a probe that never answers as down once its timeout passes', async () => {
    const hung: ReadinessProbe = { name: 'postgres', check: () => new Promise(() => undefined) };
    const report = await checkReadiness([hung, up('kafka')], { timeoutMs: 5 });
    expect(report).toEqual({
      status: 'not_ready',
      checks: { postgres: { status: 'down', error: 'no answer within 5 ms' }, kafka: { status: 'up' } },
    });
  });

  it('is not ready while the service is starting, even with every probe up', async () => {
    let started = false;
    const options = { timeoutMs: 1000, isStarted: () => started };
    expect(await checkReadiness([up('kafka')], options)).toEqual({
      status: 'not_ready',
      checks: { startup: { status: 'down', error: 'the service is still starting' }, kafka: { status: 'up' } },
    });
    started = true;
    expect((await checkReadiness([up('kafka')], options)).status).toBe('ready');
  });

  it('stays ready, naming the dependencies down, while the service serves without them', async () => {
    let serving = true;
    const options = { timeoutMs: 1000, isStarted: () => true, servesWithoutDependencies: () => serving };
    const probes = [failing('s3', 'connect ECONNREFUSED'), up('postgres'), failing('kafka', 'broker unreachable')];
    expect(await checkReadiness(probes, options)).toEqual({
      status: 'ready',
      checks: { startup: { status: 'up' }, s3: { status: 'down', error: 'connect ECONNREFUSED' }, postgres: { status: 'up' }, kafka: { status: 'down', error: 'broker unreachable' } },
      servingWithout: ['s3', 'kafka'],
    });
    serving = false;
    expect((await checkReadiness(probes, options)).status).toBe('not_ready');
  });

  it('is not ready before start-up finished, whatever the service could serve', async () => {
    const report = await checkReadiness([failing('s3', 'down')], { timeoutMs: 1000, isStarted: () => false, servesWithoutDependencies: () => true });
    expect(report.status).toBe('not_ready');
  });
});
