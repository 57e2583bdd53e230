import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor } from '@mlops/testing';
import { featureRows, GatewayHarness, uniqueModelName } from '../testing/gateway-harness';

/**
 * A gateway that never flushes its prediction log on its own (flush every 10 minutes, batches of 100,000) answers
 * calls and is killed with kill -9, so every log it owed exists only in its memory and its journal. The next gateway
 * on the same spool directory must publish each of them, once.
 */
describe('inference gateway: prediction logs of calls answered just before a kill -9 are published by the next process', () => {
  const model = uniqueModelName('gw-journal');
  const ids = Array.from({ length: 20 }, (_, i) => `${model}-call-${i}`);
  let dir: string;
  let killed: GatewayHarness | undefined;
  let next: GatewayHarness | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-journal-spec-'));
  });

  afterAll(async () => {
    await killed?.stop();
    await next?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs every answered call again after the restart, none twice', async () => {
    killed = await GatewayHarness.start({ MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: dir, MLOPS_GATEWAY_PREDICTION_LOG_FLUSH_MS: '600000', MLOPS_GATEWAY_PREDICTION_LOG_BATCH: '100000' });
    const v1 = await killed.upload(model, 1);
    await killed.deploy({ modelName: model, revision: 1, champion: v1, challenger: null });
    await killed.waitForRevision(model, 1);
    await killed.collectPredictions([model]);

    for (const [i, id] of ids.entries()) {
      const answered = await killed.inferHttp(`/v2/models/${model}/infer`, { id, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: featureRows(1, i) }] });
      expect(answered.status).toBe(200);
    }
    // The logs are held, not published: without the journal they would die with the process.
    await sleep(1000);
    expect(killed.predictions).toEqual([]);
    await killed.gateway.crash();

    next = await GatewayHarness.start({ MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: dir });
    await waitFor('every answered call logged', async () => ids.every((id) => killed?.predictions.some((p) => p.requestId === id)), { timeoutMs: 30_000, intervalMs: 200 });
    await sleep(1000);
    expect(killed.predictions.map((p) => p.requestId).sort()).toEqual([...ids].sort());
    expect(killed.predictions.every((p) => p.modelName === model && p.version === 1 && p.role === 'champion')).toBe(true);
  });
});
