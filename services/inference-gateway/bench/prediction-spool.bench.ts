// The prediction log through a broker outage, with the gateway's own logger, ring, log worker and spool (prints
// figures; asserts nothing). Leg 1: records at a fixed rate for the outage's length with the broker unreachable (its
// address closed: the shared broker stays up for everyone else), so every batch goes to the spool. Leg 2: the gateway
// restarted on the broker's right address, the same rate going on while the spool is replayed. Then it counts what
// reached mlops.predictions.logged: every record once, in order, is the goal (issue 20: 1,000 req/s, 60 s outage).
//   node -r @swc-node/register services/inference-gateway/bench/prediction-spool.bench.ts [rate=1000] [outageSeconds=60] [afterSeconds=15]
// It lives beside the service because it drives the service's own prediction log classes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { localKafkaConnection } from '@mlops/config';
import { decodeEvent } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../src/config/gateway-config';
import { GatewayMetrics } from '../src/metrics/gateway-metrics';
import { WorkerPredictionSink } from '../src/prediction-log/prediction-log-sink';
import { PredictionLogger } from '../src/prediction-log/prediction-logger';
import type { PredictionRecord } from '../src/prediction-log/prediction-record';

/** Port 1 on loopback: nothing listens there, so the producer meets a broker outage. */
const UNREACHABLE_BROKER = '127.0.0.1:1';

/** Waits for a condition, at most timeoutMs; the figures say what did not happen in time. */
async function until(condition: () => boolean, timeoutMs: number, intervalMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, intervalMs));
}

const RATE = Number(process.argv[2] ?? 1000);
const OUTAGE_SECONDS = Number(process.argv[3] ?? 60);
const AFTER_SECONDS = Number(process.argv[4] ?? 15);
const KAFKA = localKafkaConnection('admin', `bench-spool-${randomUUID().slice(0, 8)}`);
const MODEL = `bench-spool-${randomUUID().slice(0, 8)}`;
const logger = new JsonLogger({ service: 'inference-gateway', level: 'error' });

function record(seq: number): PredictionRecord {
  return {
    requestId: `req-${seq}`,
    modelName: MODEL,
    version: 1,
    role: 'champion',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], values: Float32Array.from({ length: 20 }, (_, i) => Math.sin(seq + i)) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([BigInt(seq % 2)]) }],
    latencyMs: 0.3,
    at: new Date(),
  };
}

interface Gateway {
  logger: PredictionLogger;
  registry: Registry;
}

function startGateway(brokers: string[], spoolDir: string): Gateway {
  const registry = new Registry();
  const predictionLog = { bufferSize: 50_000, bufferBytes: 64 * 1024 * 1024, batchSize: 250, flushIntervalMs: 50, spool: { dir: spoolDir, maxBytes: 1024 ** 3, retryMs: 1000 } };
  const sink = new WorkerPredictionSink({ kafka: { ...KAFKA, brokers }, spool: predictionLog.spool }, logger);
  const prediction = new PredictionLogger({ predictionLog } as GatewayConfig, sink, new GatewayMetrics(registry), logger);
  prediction.onModuleInit();
  return { logger: prediction, registry };
}

/** Records at RATE a second, in 10 ms ticks, as requests would log them. */
async function traffic(gateway: Gateway, from: number, seconds: number): Promise<number> {
  const perTick = RATE / 100;
  const total = Math.round(RATE * seconds);
  let next = from;
  const started = Date.now();
  while (next < from + total) {
    const due = from + Math.min(total, Math.floor(((Date.now() - started) / 10 + 1) * perTick));
    while (next < due) gateway.logger.record(record(next++));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return next;
}

async function value(registry: Registry, name: string, label?: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === `mlops_inference_gateway_${name}`);
  return (metric?.values ?? []).filter((v) => !label || v.labels.reason === label).reduce((total, v) => total + v.value, 0);
}

async function main(): Promise<void> {
  const spoolDir = mkdtempSync(join(tmpdir(), 'bench-spool-'));
  const received: number[] = [];
  const consumer = createKafka(KAFKA).consumer({ groupId: `bench-spool-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'mlops.predictions.logged', fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const decoded = decodeEvent('mlops.predictions.logged', message.value);
      if (decoded.ok && decoded.event.data.modelName === MODEL) received.push(Number(decoded.event.data.requestId.slice(4)));
    },
  });
  await joined;

  console.log(`load before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const away = startGateway([UNREACHABLE_BROKER], spoolDir);
  let peakBytes = 0;
  const peak = setInterval(() => void value(away.registry, 'prediction_log_spool_bytes').then((b) => (peakBytes = Math.max(peakBytes, b))), 500);
  const logged = await traffic(away, 0, OUTAGE_SECONDS);
  await away.logger.onApplicationShutdown();
  clearInterval(peak);
  peakBytes = Math.max(peakBytes, await value(away.registry, 'prediction_log_spool_bytes'));
  const spooled = await value(away.registry, 'prediction_log_spooled_total');
  const droppedAway = await value(away.registry, 'prediction_log_dropped_total');
  console.log(`outage ${OUTAGE_SECONDS} s at ${RATE} records/s: ${logged} logged, ${spooled} spooled, ${droppedAway} dropped, spool ${(peakBytes / 1024 / 1024).toFixed(1)} MiB (${(peakBytes / Math.max(1, spooled)).toFixed(0)} bytes a record)`);

  const restartedAt = Date.now();
  const back = startGateway(KAFKA.brokers, spoolDir);
  let drainedAfterMs = -1;
  let seenBytes = false;
  const watch = setInterval(() => {
    void value(back.registry, 'prediction_log_spool_bytes').then((bytes) => {
      seenBytes ||= bytes > 0;
      if (seenBytes && bytes === 0 && drainedAfterMs < 0) drainedAfterMs = Date.now() - restartedAt;
    });
  }, 100);
  const total = await traffic(back, logged, AFTER_SECONDS);
  await until(() => drainedAfterMs >= 0, 300_000, 100);
  await back.logger.onApplicationShutdown();
  clearInterval(watch);
  await until(() => received.length >= total, 120_000, 200);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await consumer.disconnect();

  const seen = new Set(received);
  const inOrder = received.every((seq, i) => i === 0 || seq > received[i - 1]);
  const dropped = droppedAway + (await value(back.registry, 'prediction_log_dropped_total'));
  console.log(`after restart on the broker: spool empty ${drainedAfterMs >= 0 ? `${(drainedAfterMs / 1000).toFixed(1)} s after the restart` : 'not within the run'}, ${AFTER_SECONDS} s more at ${RATE} records/s`);
  console.log(`on the topic: ${received.length} of ${total} records, ${seen.size} distinct, ${total - seen.size} missing, ${received.length - seen.size} duplicates, in order: ${inOrder}; dropped (counted): ${dropped}`);
  console.log(`load after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  rmSync(spoolDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err);
    process.exit(1);
  },
);
