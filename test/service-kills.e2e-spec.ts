import { randomUUID } from 'node:crypto';
import { FeatureRecordStream, grpcInferCalls, httpInferCalls, PlatformLoop, PlatformStack } from '@mlops/testing';
import { account, Check, drain, Drill, GOVERNANCE_COUNTED_ALL, load, log, recoveryTable, RunRecords, sleep } from './faults/drill';
import { DroppedLogs } from './faults/watchers';

// The fault drill's short version (test/faults/README.md): one kill -9 per service, each started again at once as a
// supervisor would, while a little traffic runs (feature records streamed, inference over HTTP and gRPC). Afterwards
// every service must have come back on its own and the books must balance: records produced = applied +
// dead-lettered, none applied twice, no version registered twice, no audit entry twice, prediction logs complete or
// counted as dropped. Recovery times are printed, not asserted (the bound is a generous minute per service).

const RECORDS = 3000;
const FEATURE_RATE = 100;
const INVALID_EVERY = 100;
const CALL_RATE = 5;
const WINDOW_ROWS = 100;
const TEST_TIMEOUT_MS = 8 * 60_000;

describe('service kills: each service killed -9 once under traffic comes back on its own, losing and repeating nothing', () => {
  const id = randomUUID().slice(0, 8);
  const view = `kills_${id}`;
  let stack: PlatformStack;
  let loop: PlatformLoop;
  let features: FeatureRecordStream;
  let http: ReturnType<typeof httpInferCalls>;
  let grpcLoad: ReturnType<typeof grpcInferCalls> | undefined;
  let dropped: DroppedLogs;
  let run: RunRecords;

  beforeAll(async () => {
    // A source group of its own: a feature store of another suite in the shared group could hold this view's
    // partitions, and this one's work counter (how its recovery is timed) would not move.
    const sinceMs = Date.now();
    stack = await PlatformStack.start({ 'feature-store': { MLOPS_FEATURE_STORE_SOURCE_GROUP: `mlops-feature-store-kills-${id}` } });
    loop = new PlatformLoop(stack, `kills-${id}`);
    await loop.deployChampion(WINDOW_ROWS);
    run = { view, sourceTopic: await loop.applyFeatureView(view), sinceMs };
    features = new FeatureRecordStream(run.sourceTopic, RECORDS, FEATURE_RATE, INVALID_EVERY);
    http = httpInferCalls(() => stack.url('inference-gateway'), loop.modelName, CALL_RATE);
    grpcLoad = grpcInferCalls(`127.0.0.1:${stack.grpcPort('inference-gateway')}`, loop.modelName, CALL_RATE);
    dropped = new DroppedLogs(stack);
    await features.start();
    http.start();
    grpcLoad.calls.start();
    dropped.start();
    await sleep(2000);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    grpcLoad?.close();
    await loop?.close().catch(() => undefined);
    await stack?.stop();
  });

  it('recovers every service and balances the books', async () => {
    const drill = new Drill(stack, loop, features, dropped, { records: RECORDS, recoveryTimeoutMs: 60_000, pauseMs: 1000, windowRows: WINDOW_ROWS });
    const startedAt = Date.now();
    await drill.killEach();
    log(`6 kills in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; ${features.acknowledged} of ${RECORDS} records produced`);
    await Promise.race([features.finished(), sleep(((RECORDS - features.acknowledged) / FEATURE_RATE) * 1000 + 30_000)]);
    await Promise.all([http.stop(), grpcLoad?.calls.stop()]);
    await dropped.sample();
    await Promise.all([dropped.stop(), features.stop()]);
    await drain(stack, run, features.acknowledged);

    const checks = await account({ ...run, stack, loop, features, calls: [...http.records, ...(grpcLoad?.calls.records ?? [])], dropped, drill });
    console.log(`recovery per kill -9 (seconds from the restart: ready / applying records again), load ${load()}\n${recoveryTable(drill.results, 60_000)}\n` +
      checks.map((c) => `${c.passed ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`).join('\n'));
    expect(http.records.filter((c) => c.ok).length).toBeGreaterThan(0);
    expect(features.acknowledged).toBe(RECORDS);
    // Printed above, not asserted: on engines shared with other suites its books may predate this run (see drill.ts).
    expect(checks.filter((c: Check) => !c.passed && c.name !== GOVERNANCE_COUNTED_ALL)).toEqual([]);
  }, TEST_TIMEOUT_MS);
});
