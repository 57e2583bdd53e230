// Fault drill (issue 20): while feature records stream and inference runs, each service is killed -9 in turn, the
// Kafka broker and Postgres are restarted and MinIO is stopped for a while; then the books are checked (nothing lost,
// nothing applied twice) and the recovery time of every fault is printed. Exits 1 when an assertion fails.
// Run it only on infrastructure this checkout started for itself (see README.md): bash test/faults/run
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { FeatureRecordStream, grpcInferCalls, httpInferCalls, PlatformLoop, PlatformStack, positiveSetting, REPO_ROOT } from '@mlops/testing';
import { account, drain, Drill, load, log, recoveryTable, sleep } from './drill';
import { DroppedLogs, ReadinessLog } from './watchers';

const RECORDS = positiveSetting('FAULTS_RECORDS', 100_000);
const FEATURE_RATE = positiveSetting('FAULTS_FEATURE_RATE', 200);
const HTTP_RATE = positiveSetting('FAULTS_HTTP_RATE', 25);
const GRPC_RATE = positiveSetting('FAULTS_GRPC_RATE', 25);
const MINIO_OUTAGE_S = positiveSetting('FAULTS_MINIO_OUTAGE_SECONDS', 30);
/** The goal: every consumer back at work within this long of its restart. */
const RECOVERY_GOAL_S = positiveSetting('FAULTS_RECOVERY_GOAL_SECONDS', 10);
const RECOVERY_TIMEOUT_MS = positiveSetting('FAULTS_RECOVERY_TIMEOUT_SECONDS', 120) * 1000;
/** The whole drill ends by this, whatever happens (services and engines are left as they are; see README). */
const DEADLINE_MS = positiveSetting('FAULTS_DEADLINE_SECONDS', 2400) * 1000;
const INVALID_EVERY = 1000;
const WINDOW_ROWS = 1000;

/** Stopping engines someone else runs would break their work: only this checkout's own may be touched. */
async function refuseForeignInfra(): Promise<void> {
  const { stdout } = await promisify(execFile)('bash', ['deploy/local/infra', 'status'], { cwd: REPO_ROOT });
  const own = ['postgres', 'minio', 'kafka'].every((engine) => new RegExp(`^${engine}\\s+running`, 'm').test(stdout));
  if (!own) {
    console.error(`refusing to run: the fault drill stops and starts Kafka, Postgres and MinIO, and this checkout did not start all three:\n${stdout}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  setTimeout(() => {
    console.error(`the drill passed its deadline of ${DEADLINE_MS / 1000} s; stopping`);
    process.exit(3);
  }, DEADLINE_MS).unref();
  await refuseForeignInfra();
  log(`${RECORDS} feature records at ${FEATURE_RATE}/s, inference ${HTTP_RATE}/s HTTP + ${GRPC_RATE}/s gRPC; load ${load()}`);
  const sinceMs = Date.now();
  const stack = await PlatformStack.start();
  const id = randomUUID().slice(0, 8);
  const loop = new PlatformLoop(stack, `faults-${id}`);
  const view = `faults_${id}`;
  const grpcLoad = grpcInferCalls(`127.0.0.1:${stack.grpcPort('inference-gateway')}`, loop.modelName, GRPC_RATE);
  const http = httpInferCalls(() => stack.url('inference-gateway'), loop.modelName, HTTP_RATE);
  const dropped = new DroppedLogs(stack);
  const gatewayReadiness = new ReadinessLog(stack, 'inference-gateway');
  let features: FeatureRecordStream | undefined;
  try {
    await loop.deployChampion(WINDOW_ROWS);
    const run = { view, sourceTopic: await loop.applyFeatureView(view), sinceMs };
    features = new FeatureRecordStream(run.sourceTopic, RECORDS, FEATURE_RATE, INVALID_EVERY);
    log(`platform up, ${loop.modelName} served; streaming`);
    await features.start();
    http.start();
    grpcLoad.calls.start();
    dropped.start();
    gatewayReadiness.start();
    await sleep(15_000);

    const drill = new Drill(stack, loop, features, dropped, { records: RECORDS, recoveryTimeoutMs: RECOVERY_TIMEOUT_MS, pauseMs: 5000, windowRows: WINDOW_ROWS, recoveryGoalSeconds: RECOVERY_GOAL_S });
    await drill.killEach();
    await drill.engineOutage('kafka', 0, true);
    await drill.engineOutage('postgres', 0, true);
    await drill.engineOutage('minio', MINIO_OUTAGE_S * 1000, false);

    log(`faults done; waiting for the last of ${RECORDS} records to be produced (${features.acknowledged} so far)`);
    await Promise.race([features.finished(), sleep(((RECORDS - features.acknowledged) / FEATURE_RATE) * 1000 + 120_000)]);
    await Promise.all([http.stop(), grpcLoad.calls.stop()]);
    await dropped.sample();
    await Promise.all([dropped.stop(), gatewayReadiness.stop(), features.stop()]);
    await drain(stack, run, features.acknowledged);
    await sleep(5000);

    const checks = await account({ ...run, stack, loop, features, calls: [...http.records, ...grpcLoad.calls.records], dropped, gatewayReadiness, drill });
    console.log(`\nrecovery per fault (seconds from the restart: service answering ready / applying records again), load ${load()}`);
    console.log(recoveryTable(drill.results, RECOVERY_TIMEOUT_MS));
    console.log('\nassertions');
    for (const check of checks) console.log(`  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}: ${check.detail}`);
    const failed = checks.filter((c) => !c.passed).length;
    console.log(failed === 0 ? '\nall assertions hold' : `\n${failed} of ${checks.length} assertions fail`);
    return failed === 0 ? 0 : 1;
  } finally {
    grpcLoad.close();
    await loop.close().catch(() => undefined);
    await stack.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
