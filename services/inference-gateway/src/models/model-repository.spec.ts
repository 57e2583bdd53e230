import { Registry } from 'prom-client';
import type { JsonLogger } from '@mlops/observability';
import { IntegrityError } from '@mlops/storage';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { ModelLoader, ServedVersionData } from './model-loader';
import type { OrtSession } from './ort-session';
import { Deployment, ModelRepository } from './model-repository';

const quiet = { child: () => quiet, log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as JsonLogger;

function served(version: number, sha = String(version).repeat(64).slice(0, 64)): ServedVersionData {
  return { version, artifact: { uri: `s3://mlops-artifacts/models/m/${version}/model.onnx`, sha256: sha, sizeBytes: 1 } };
}

function deployment(revision: number, champion: ServedVersionData | null, challenger: Deployment['challenger'] = null): Deployment {
  return { modelName: 'm', revision, champion, challenger, changedBy: 't', reason: 't', effectiveFrom: new Date().toISOString() };
}

function setup(fail: (v: ServedVersionData) => Error | null = () => null) {
  const sessions: { version: number; release: jest.Mock }[] = [];
  const loader = {
    load: jest.fn(async (v: ServedVersionData) => {
      const error = fail(v);
      if (error) throw error;
      const session = { version: v.version, release: jest.fn() };
      sessions.push(session);
      return { session: session as unknown as OrtSession, signature: { inputs: [], outputs: [] } };
    }),
  };
  const repository = new ModelRepository(loader as unknown as ModelLoader, new GatewayMetrics(new Registry()), quiet);
  return { repository, loader, sessions };
}

describe('ModelRepository', () => {
  it('swaps to a newer revision, releases what is no longer routed to, and reuses what still is', async () => {
    const { repository, loader, sessions } = setup();
    expect(await repository.apply(deployment(1, served(1)))).toBe('applied');
    expect(await repository.apply(deployment(2, served(1), { ...served(2), mode: 'shadow' }))).toBe('applied');
    expect(loader.load).toHaveBeenCalledTimes(2);
    expect(repository.route('m')?.challenger).toMatchObject({ mode: 'shadow', weight: 0 });
    expect(await repository.apply(deployment(3, served(2)))).toBe('applied');
    expect(loader.load).toHaveBeenCalledTimes(2);
    expect(repository.route('m')?.champion?.version).toBe(2);
    expect(sessions.map((s) => s.release.mock.calls.length)).toEqual([1, 0]);
  });

  it('ignores a revision that is not newer than the one serving', async () => {
    const { repository } = setup();
    await repository.apply(deployment(5, served(1)));
    expect(await repository.apply(deployment(4, served(2)))).toBe('stale');
    expect(await repository.apply(deployment(5, served(3)))).toBe('stale');
    expect(repository.route('m')?.champion?.version).toBe(1);
  });

  it('applies revisions of one model in arrival order even when loads take different times', async () => {
    const { repository } = setup();
    const results = await Promise.all([repository.apply(deployment(1, served(1))), repository.apply(deployment(2, served(2)))]);
    expect(results).toEqual(['applied', 'applied']);
    expect(repository.route('m')?.revision).toBe(2);
  });

  it('keeps the previous revision when a load fails, records the failure, and clears it on the next success', async () => {
    const { repository, loader, sessions } = setup((v) => (v.version === 2 ? new IntegrityError('s3://x/y', 'a', 'b') : null));
    await repository.apply(deployment(1, served(1)));
    expect(await repository.apply(deployment(2, served(1), { ...served(2), mode: 'canary', weight: 0.5 }))).toBe('failed');
    expect(loader.load).toHaveBeenCalledTimes(2);
    expect(repository.route('m')).toMatchObject({ revision: 1, challenger: null });
    expect(repository.failuresList()).toEqual([expect.objectContaining({ modelName: 'm', revision: 2, version: 2, error: expect.stringContaining('integrity') })]);
    expect(sessions[0].release).not.toHaveBeenCalled();
    await repository.apply(deployment(3, served(3)));
    expect(repository.failuresList()).toEqual([]);
  });

  it('retries a load that failed for a reason that may pass', async () => {
    let calls = 0;
    const { repository, loader } = setup(() => (++calls === 1 ? new Error('connect ECONNRESET') : null));
    expect(await repository.apply(deployment(1, served(1)))).toBe('applied');
    expect(loader.load).toHaveBeenCalledTimes(2);
  });

  it('stops routing a model whose deployment names no champion', async () => {
    const { repository, sessions } = setup();
    await repository.apply(deployment(1, served(1)));
    await repository.apply(deployment(2, null));
    expect(repository.route('m')?.champion).toBeNull();
    expect(sessions[0].release).toHaveBeenCalled();
  });
});
