// What the prediction journal costs the request thread: PredictionLogger.record() for the 20-feature model's record
// (inputs, label, probabilities), with the journal (spool on: each record written to disk before its answer) and
// without (spool off), in this process, each run after a warm-up; the sink settles every batch at once, as a broker
// that keeps up would. Prints nanoseconds per record and the load average; asserts nothing.
//   node -r @swc-node/register services/inference-gateway/bench/prediction-journal.bench.ts [records=200000]
// It lives beside the service because it drives the service's own prediction log classes.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../src/config/gateway-config';
import { GatewayMetrics } from '../src/metrics/gateway-metrics';
import type { PredictionSink, RingBatch } from '../src/prediction-log/prediction-log-sink';
import { PredictionLogger, PredictionRecord } from '../src/prediction-log/prediction-logger';

const RECORDS = Number(process.argv[2] ?? 200_000);
const BATCH = 250;
const quiet = { child: () => quiet, log: () => undefined, warn: () => undefined, error: () => undefined } as unknown as JsonLogger;

const record: PredictionRecord = {
  requestId: '6f1c1a52-8a4e-4f0e-9a43-3f0d2b7c9e11',
  modelName: 'bench-journal',
  version: 1,
  role: 'champion',
  inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], values: Float32Array.from({ length: 20 }, (_, i) => Math.sin(i)) }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([1n]) },
    { name: 'probabilities', datatype: 'FP32', shape: [1, 2], values: Float32Array.from([0.3, 0.7]) },
  ],
  latencyMs: 0.4,
  at: new Date(),
};

/** Every batch published the moment it is handed over. */
const keepingUp: PredictionSink = {
  start: () => undefined,
  write: (batch: RingBatch, done) => done({ published: batch.span.count, spooled: 0, publishFailed: 0, spoolFull: 0, invalid: 0, warnings: [] }),
  close: async () => undefined,
};

function nsPerRecord(spoolDir: string | null): number {
  const spool = spoolDir ? { dir: spoolDir, maxBytes: 1 << 30, retryMs: 1000 } : null;
  const config = { predictionLog: { bufferSize: 50_000, bufferBytes: 64 << 20, batchSize: BATCH, flushIntervalMs: 60_000, spool } } as GatewayConfig;
  const logger = new PredictionLogger(config, keepingUp, new GatewayMetrics(new Registry()), quiet);
  const run = (count: number) => {
    for (let i = 0; i < count; i++) logger.record(record);
    void logger.flush();
  };
  run(RECORDS / 4);
  const started = process.hrtime.bigint();
  run(RECORDS);
  const ns = Number(process.hrtime.bigint() - started) / RECORDS;
  void logger.onApplicationShutdown();
  return ns;
}

const dir = mkdtempSync(join(tmpdir(), 'journal-bench-'));
try {
  console.log(`load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (let round = 1; round <= 3; round++) {
    const without = nsPerRecord(null);
    const withJournal = nsPerRecord(dir);
    console.log(`round ${round}: record() ${without.toFixed(0)} ns without the journal, ${withJournal.toFixed(0)} ns with it (+${(withJournal - without).toFixed(0)} ns a record)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
