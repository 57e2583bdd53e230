// Fault drill (issue 20): while feature records stream and inference runs, each service is killed -9 in turn, the
// Kafka broker and Postgres are restarted and MinIO is stopped for a while; then the books are checked (nothing lost,
// nothing applied twice) and the recovery time of every fault is printed. Exits 1 when an assertion fails.
// Run it only on infrastructure this checkout started for itself (see README.md): bash test/faults/run
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { SERVICE_NAMES, ServiceName } from '@mlops/contracts';
import { CallRecord, FeatureRecordStream, grpcInferCalls, httpInferCalls, PlatformLoop, PlatformStack, positiveSetting, REPO_ROOT, waitFor } from '@mlops/testing';
import { featureLedger, governanceLedger, monitorLedger, predictionLogLedger } from './ledger';
import { measureRecovery, metricsOf, Recovery, workDoneNow } from './recovery';
import { DroppedLogs, ReadinessLog } from './watchers';

const RECORDS = positiveSetting('FAULTS_RECORDS', 100_000);
const FEATURE_RATE = positiveSetting('FAULTS_FEATURE_RATE', 200);
const HTTP_RATE = positiveSetting('FAULTS_HTTP_RATE', 25);
const GRPC_RATE = positiveSetting('FAULTS_GRPC_RATE', 25);
const MINIO_OUTAGE_S = positiveSetting('FAULTS_MINIO_OUTAGE_SECONDS', 30);
/** The issue's goal: every consumer back at work within this long of its restart. */
const RECOVERY_GOAL_S = positiveSetting('FAULTS_RECOVERY_GOAL_SECONDS', 10);
const RECOVERY_TIMEOUT_MS = positiveSetting('FAULTS_RECOVERY_TIMEOUT_SECONDS', 120) * 1000;
/** The whole drill ends by this, whatever happens (services and engines are left as they are; see README). */
const DEADLINE_MS = positiveSetting('FAULTS_DEADLINE_SECONDS', 2400) * 1000;
const INVALID_EVERY = 1000;
const WINDOW_ROWS = 1000;

interface FaultResult {
  fault: string;
  outageSeconds?: number;
  recoveries: Recovery[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const log = (line: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function infra(action: 'stop' | 'start', component: 'kafka' | 'postgres' | 'minio'): Promise<void> {
  await promisify(execFile)('bash', ['deploy/local/infra', action, component], { cwd: REPO_ROOT, timeout: 180_000 });
}

/** Stopping engines someone else runs would break their work: only this checkout's own may be touched. */
async function refuseForeignInfra(): Promise<void> {
  const { stdout } = await promisify(execFile)('bash', ['deploy/local/infra', 'status'], { cwd: REPO_ROOT });
  const own = ['postgres', 'minio', 'kafka'].every((engine) => new RegExp(`^${engine}\\s+running`, 'm').test(stdout));
  if (!own) {
    console.error(`refusing to run: the fault drill stops and starts Kafka, Postgres and MinIO, and this checkout did not start all three:\n${stdout}`);
    process.exit(2);
  }
}

async function workDoneByAll(stack: PlatformStack, services: readonly ServiceName[]): Promise<Map<ServiceName, number>> {
  const entries = await Promise.all(services.map(async (s) => [s, (await workDoneNow(stack, s)) ?? 0] as const));
  return new Map(entries);
}

class Drill {
  readonly results: FaultResult[] = [];
  readonly probeRuns: string[] = [];
  minioOutage = { from: 0, to: 0 };

  constructor(
    private readonly stack: PlatformStack,
    private readonly loop: PlatformLoop,
    private readonly features: FeatureRecordStream,
    private readonly dropped: DroppedLogs,
  ) {}

  private record(result: FaultResult): void {
    this.results.push(result);
    log(`${result.fault}: ${result.recoveries.map((r) => `${r.service} ready ${r.readySeconds === null ? 'not within the timeout' : `${r.readySeconds} s`}, applying ${r.applyingTimedOut ? 'not within the timeout' : r.applyingSeconds === null ? '-' : `${r.applyingSeconds} s`}`).join('; ')}`);
  }

  /** Services with work flowing to them right now, so that their recovery can be timed by their work count. */
  private flowing(services: readonly ServiceName[]): ServiceName[] {
    const streaming = this.features.acknowledged < RECORDS;
    return services.filter((s) => s !== 'feature-store' || streaming);
  }

  /** A new trained version: work for the registry, trainer and governance, and one more version to count. */
  private async probe(): Promise<void> {
    this.probeRuns.push(await waitFor('a probe version published', () => this.loop.publishTrainedVersion(), { timeoutMs: 60_000 }));
  }

  async killEach(): Promise<void> {
    for (const service of SERVICE_NAMES) {
      if (service === 'inference-gateway') await this.dropped.sample();
      const measured = this.flowing([service]);
      log(`kill -9 ${service}`);
      const since = Date.now();
      await this.stack.crashAndRestart(service);
      if (service === 'registry' || service === 'trainer') await this.probe();
      const recoveries = await measureRecovery(this.stack, [service], new Map(measured.map((s) => [s, 0])), since, RECOVERY_TIMEOUT_MS);
      this.record({ fault: `kill -9 ${service}`, recoveries });
      await sleep(5000);
    }
  }

  /** Stops an engine, waits `outageMs`, starts it again and times every service's recovery from the start. */
  async engineOutage(component: 'kafka' | 'postgres' | 'minio', outageMs: number, countWork: boolean): Promise<void> {
    await this.dropped.sample();
    log(`stop ${component}`);
    const stoppedAt = Date.now();
    await infra('stop', component);
    if (component === 'minio') this.minioOutage.from = Date.now();
    // Work counted after the stop: anything above it was done with the engine back.
    const baselines = countWork ? await workDoneByAll(this.stack, this.flowing(SERVICE_NAMES)) : new Map<ServiceName, number>();
    await sleep(Math.max(0, stoppedAt + outageMs - Date.now()));
    if (component === 'minio') this.minioOutage.to = Date.now();
    await infra('start', component);
    const since = Date.now();
    log(`${component} back after ${((since - stoppedAt) / 1000).toFixed(1)} s`);
    if (countWork) await this.probe();
    const recoveries = await measureRecovery(this.stack, [...SERVICE_NAMES], baselines, since, RECOVERY_TIMEOUT_MS);
    this.record({ fault: `${component === 'minio' ? 'stop' : 'restart'} ${component}`, outageSeconds: Math.round((since - stoppedAt) / 100) / 10, recoveries });
    await sleep(5000);
  }
}

interface Check {
  name: string;
  passed: boolean;
  detail: string;
}

function recoveryTable(results: FaultResult[]): string {
  const cell = (seconds: number | null, timedOut = false) => (timedOut ? `>${RECOVERY_TIMEOUT_MS / 1000}` : seconds === null ? '-' : seconds.toFixed(1));
  const lines = [`${'fault'.padEnd(26)} ${'service'.padEnd(18)} ${'ready s'.padStart(8)} ${'applying s'.padStart(11)}`];
  for (const result of results) {
    for (const r of result.recoveries) {
      const outage = result.outageSeconds === undefined ? '' : ` (down ${result.outageSeconds} s)`;
      lines.push(`${(result.fault + outage).padEnd(26)} ${r.service.padEnd(18)} ${cell(r.readySeconds, r.readySeconds === null).padStart(8)} ${cell(r.applyingSeconds, r.applyingTimedOut).padStart(11)}`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  setTimeout(() => {
    console.error(`the drill passed its deadline of ${DEADLINE_MS / 1000} s; stopping`);
    process.exit(3);
  }, DEADLINE_MS).unref();
  await refuseForeignInfra();
  log(`${RECORDS} feature records at ${FEATURE_RATE}/s, inference ${HTTP_RATE}/s HTTP + ${GRPC_RATE}/s gRPC; load ${load()}`);
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
    features = new FeatureRecordStream(await loop.applyFeatureView(view), RECORDS, FEATURE_RATE, INVALID_EVERY);
    log(`platform up, ${loop.modelName} served; streaming`);
    await features.start();
    http.start();
    grpcLoad.calls.start();
    dropped.start();
    gatewayReadiness.start();
    await sleep(15_000);

    const drill = new Drill(stack, loop, features, dropped);
    await drill.killEach();
    await drill.engineOutage('kafka', 0, true);
    await drill.engineOutage('postgres', 0, true);
    await drill.engineOutage('minio', MINIO_OUTAGE_S * 1000, false);

    log(`faults done; waiting for the last of ${RECORDS} records to be produced (${features.acknowledged} so far)`);
    await Promise.race([features.finished(), sleep(((RECORDS - features.acknowledged) / FEATURE_RATE) * 1000 + 120_000)]);
    await Promise.all([http.stop(), grpcLoad.calls.stop()]);
    await dropped.sample();
    await Promise.all([dropped.stop(), gatewayReadiness.stop(), features.stop()]);
    const produced = features;
    log('draining: waiting for the feature store and the prediction-log consumers to catch up');
    await waitFor('every acknowledged feature record applied or dead-lettered', async () => {
      const ledger = await featureLedger(view);
      return ledger.distinctEntities + ledger.distinctDeadLetters >= produced.acknowledged;
    }, { timeoutMs: 180_000 }).catch((err: Error) => log(err.message));
    await waitFor('monitor and governance to consume every prediction log', async () => {
      const lags = await Promise.all((['monitor', 'governance'] as const).map(async (s) => {
        const exposition = (await metricsOf(stack, s)) ?? '';
        return [...exposition.matchAll(/_consumer_lag_messages\{[^}]*topic="mlops\.predictions\.logged"[^}]*\} (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      }));
      return lags.every((lag) => lag === 0);
    }, { timeoutMs: 180_000 }).catch((err: Error) => log(err.message));
    await sleep(5000);

    const checks = await account({ stack, loop, view, features, calls: [...http.records, ...grpcLoad.calls.records], dropped, gatewayReadiness, drill });
    console.log(`\nrecovery per fault (seconds from the restart: service answering ready / applying records again), load ${load()}`);
    console.log(recoveryTable(drill.results));
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

interface Evidence {
  stack: PlatformStack;
  loop: PlatformLoop;
  view: string;
  features: FeatureRecordStream;
  calls: CallRecord[];
  dropped: DroppedLogs;
  gatewayReadiness: ReadinessLog;
  drill: Drill;
}

async function account(e: Evidence): Promise<Check[]> {
  const [fs, logs, gov, mon, versions] = await Promise.all([
    featureLedger(e.view), predictionLogLedger(e.loop.modelName), governanceLedger(e.stack, e.loop.modelName), monitorLedger(e.stack, e.loop.modelName), e.loop.versions(),
  ]);
  const checks: Check[] = [];
  const check = (name: string, passed: boolean, detail: string) => checks.push({ name, passed, detail });

  const produced = e.features.acknowledged;
  check('records produced = applied + dead-lettered', fs.distinctEntities === e.features.valid && fs.distinctDeadLetters === e.features.invalid,
    `produced ${produced} (${e.features.invalid} invalid on purpose); applied ${fs.distinctEntities} (online rows ${fs.onlineRows}), dead-lettered ${fs.distinctDeadLetters} (${fs.deadLettersPublished} published to the DLQ)`);
  check('no feature record applied twice', fs.historyRows === fs.distinctEntities && fs.deadLetters === fs.distinctDeadLetters,
    `offline history rows ${fs.historyRows} for ${fs.distinctEntities} records; dead letters ${fs.deadLetters} for ${fs.distinctDeadLetters} records`);

  const runs = versions.map((v) => v.runId);
  const probesOnce = e.drill.probeRuns.every((run) => runs.filter((r) => r === run).length === 1);
  check('no double version', probesOnce && new Set(runs).size === runs.length,
    `${versions.length} versions for ${new Set(runs).size} runs; each of the ${e.drill.probeRuns.length} probe runs published during the faults registered once: ${probesOnce}`);
  check('no double audit entry', gov.repeatedVersions === 0 && gov.repeatedRuns === 0 && gov.chainValid,
    `version-registered entries ${gov.versionEntries} (${gov.repeatedVersions} versions twice), training-completed ${gov.completedEntries} (${gov.repeatedRuns} runs twice), chain valid: ${gov.chainValid}`);

  const okIds = e.calls.filter((c) => c.ok).map((c) => c.requestId);
  const missing = okIds.filter((requestId) => !logs.requestIds.has(requestId)).length;
  const duplicated = logs.records - logs.requestIds.size;
  check('prediction logs complete or counted as dropped', missing <= e.dropped.total,
    `${okIds.length} answered calls (${e.calls.length - okIds.length} failed); logged ${logs.requestIds.size} distinct (${duplicated} records more than once), missing ${missing}, counted as dropped ${e.dropped.total}`);

  const expectedRows = Math.floor(logs.records / WINDOW_ROWS) * WINDOW_ROWS;
  const distinctRows = Math.floor(logs.requestIds.size / WINDOW_ROWS) * WINDOW_ROWS;
  check('no double-counted window', mon.repeatedWindows === 0 && mon.rowsInClosedWindows <= Math.max(expectedRows, distinctRows) && gov.predictionLogsCounted === logs.records,
    `monitor: ${mon.windows} closed windows of ${WINDOW_ROWS} rows hold ${mon.rowsInClosedWindows} rows for ${logs.requestIds.size} distinct logs (${logs.records} records); governance counted ${gov.predictionLogsCounted} of ${logs.records} records`);

  const { from, to } = e.drill.minioOutage;
  const during = e.calls.filter((c) => c.sentAt >= from && c.sentAt + c.latencyMs <= to);
  const readiness = e.gatewayReadiness.between(from, to);
  check('gateway kept answering from its loaded models through the MinIO outage', during.length > 0 && during.every((c) => c.ok) && readiness.notReady === 0,
    `${during.filter((c) => c.ok).length} of ${during.length} calls answered; /health/ready 200 in ${readiness.ready} of ${readiness.ready + readiness.notReady} samples`);

  const all = e.drill.results.flatMap((r) => r.recoveries.map((rec) => ({ fault: r.fault, ...rec })));
  const notBack = all.filter((r) => r.readySeconds === null || r.applyingTimedOut);
  check('every service recovered on its own', notBack.length === 0,
    notBack.length === 0 ? `all ready and at work within ${RECOVERY_TIMEOUT_MS / 1000} s` : notBack.map((r) => `${r.service} after ${r.fault}`).join(', '));
  const slow = all.filter((r) => r.applyingSeconds !== null && r.applyingSeconds > RECOVERY_GOAL_S);
  check(`every consumer back at work within ${RECOVERY_GOAL_S} s`, slow.length === 0 && notBack.length === 0,
    slow.length === 0 ? 'yes' : slow.map((r) => `${r.service} after ${r.fault}: ${r.applyingSeconds} s`).join(', '));
  return checks;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
