// The monitor's figures on this machine (prints them; asserts nothing):
//  1. prediction logs with 20 features consumed from the real Kafka broker through the monitor's own hot path
//     (@platformatic/kafka fetch, contract decode, fold into the window sketches), on a topic of its own;
//     every log under its own request id, so the label join fills to its cap as in production;
//  1b. the per-record costs of that path in process (JSON parse, contract decode, fold);
//  2. window evaluation per feature (KS on a small reference, Wasserstein on a large one, PSI, BH);
//  3. heap per monitored model after 1M logs and after 10M (in process, no broker; `--logs-10m` to run the 10M leg).
//   node --expose-gc -r @swc-node/register bench/monitor/monitor.bench.ts [logs=400000] [--logs-10m]
// It lives beside the service because it drives the service's own stream classes; bench/monitor runs it.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Consumer, Producer } from '@platformatic/kafka';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { createEvent, decodeEvent, encodeEvent } from '@mlops/contracts';
import { createKafka, platformaticSasl } from '@mlops/messaging';
import { evaluateDrift } from '../src/drift/evaluate-drift';
import { foldRecord } from '../src/stream/fold-record';
import { StreamProcessor } from '../src/stream/stream-processor';
import { fixedContext, PredictionGenerator } from '../src/test-support/prediction-generator';

const args = process.argv.slice(2);
const LOGS = Number(args.find((a) => /^\d+$/.test(a)) ?? 400_000);
const TEN_MILLION = args.includes('--logs-10m');
const FEATURES = 20;
const PARTITIONS = 12;
const DISTINCT = 20_000;
// The label join is bounded by MLOPS_MONITOR_MAX_JOIN_ENTRIES (1M by default); 100k here keeps the legs comparable.
const LIMITS = { labelHorizonMs: 3_600_000, maxJoinEntries: 100_000, maxPendingLabels: 100_000 };

const rate = (count: number, ms: number) => `${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const load = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');
const gc = () => (global as { gc?: () => void }).gc?.();

/** DISTINCT logs as the gateway writes them; each is sent under a request id of its own (see withRequestId). */
function encodedLogs(generator: PredictionGenerator): string[] {
  return Array.from({ length: DISTINCT }, () => encodeEvent('mlops.predictions.logged', createEvent('mlops.predictions.logged', generator.next().prediction, { source: 'inference-gateway' })).toString());
}

/** Every log its own request, as in production: the label join fills to its cap and evicts from then on. */
function withRequestId(json: string, index: number): Buffer {
  return Buffer.from(json.replace(/"requestId":"[^"]*"/, `"requestId":"request-${index}"`));
}

function processorFor(modelName: string, generator: PredictionGenerator, maxRows: number): StreamProcessor {
  const reference = { profile: generator.reference(5000), baseline: { auc: 0.8 }, task: 'classification' as const };
  return new StreamProcessor(fixedContext({ [`${modelName}:1`]: reference }, { window: { maxRows, maxSeconds: 86_400 * 365 } }), LIMITS);
}

async function consumeFromKafka(): Promise<void> {
  const config = loadPlatformConfig('monitor', localCredentials('admin'));
  const topic = `bench.monitor.predictions.${randomUUID().slice(0, 8)}`;
  const admin = createKafka({ ...config.kafka, clientId: 'bench-monitor-admin' }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  const modelName = 'bench-monitor';
  const generator = new PredictionGenerator({ modelName, features: FEATURES, seed: 1 });
  const values = encodedLogs(generator);
  try {
    const producer = new Producer({ clientId: 'bench-monitor-producer', bootstrapBrokers: config.kafka.brokers, sasl: platformaticSasl(config.kafka.sasl), acks: 1 });
    const produceStart = Date.now();
    for (let sent = 0; sent < LOGS; sent += 5000) {
      const messages = [];
      for (let i = sent; i < Math.min(sent + 5000, LOGS); i++) messages.push({ topic, value: withRequestId(values[i % DISTINCT], i), partition: i % PARTITIONS });
      await producer.send({ messages });
    }
    await producer.close();
    console.log(`produced ${LOGS.toLocaleString('en-US')} logs of ${values[0].length} bytes (${FEATURES} features) in ${Date.now() - produceStart} ms`);

    // The monitor keys logs by model, so one model's logs share a partition; here they are spread over all twelve so
    // the read is not held to one partition's fetches, and one processor folds them all as the monitor would.
    const processor = processorFor(modelName, generator, 100_000);
    const consumer = new Consumer({ groupId: `bench-monitor-${randomUUID()}`, clientId: 'bench-monitor', bootstrapBrokers: config.kafka.brokers, sasl: platformaticSasl(config.kafka.sasl) });
    const cpuStart = process.cpuUsage();
    const start = Date.now();
    let consumed = 0;
    let failed = 0;
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false, maxWaitTime: 100, maxBytes: 64 * 1024 * 1024, maxBytesPerPartition: 8 * 1024 * 1024 });
    await new Promise<void>((resolve) => {
      stream.on('data', (message) => {
        if (foldRecord(processor, message.topic, message.partition, Number(message.offset), message.value, topic) !== null) failed++;
        if (++consumed === LOGS) resolve();
      });
    });
    const elapsed = Date.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    await stream.close();
    await consumer.close();
    const checkpointStart = Date.now();
    const changes = processor.takeChanges();
    const bytes = [...changes.upserts.values()].reduce((sum: number, text) => sum + (text as string).length, 0);
    console.log(
      `consumed and folded ${consumed.toLocaleString('en-US')} logs from Kafka in ${elapsed} ms: ${rate(consumed, elapsed)} logs, ` +
        `${rate(consumed * FEATURES, elapsed)} feature values; CPU ${((cpu.user + cpu.system) / 1000 / elapsed).toFixed(2)} cores; ` +
        `${failed} refused; ${changes.outputs.closed.length} windows closed on the way`,
    );
    console.log(`one checkpoint's state after it: ${changes.upserts.size} rows, ${mib(bytes)} of JSON, taken in ${Date.now() - checkpointStart} ms`);
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** The per-record costs of the hot path in process, no broker: decoding (JSON, then the contract) and folding. */
function costPerRecord(): void {
  const count = 200_000;
  const generator = new PredictionGenerator({ modelName: 'bench-cost', features: FEATURES, seed: 4 });
  const buffers = encodedLogs(generator).map((json, i) => withRequestId(json, i));
  const perRecord = (run: (i: number) => void) => {
    for (let i = 0; i < DISTINCT; i++) run(i);
    const start = process.hrtime.bigint();
    for (let i = 0; i < count; i++) run(i);
    return `${(Number(process.hrtime.bigint() - start) / 1000 / count).toFixed(2)} us`;
  };
  const parse = perRecord((i) => JSON.parse(buffers[i % DISTINCT].toString('utf8')));
  const decode = perRecord((i) => decodeEvent('mlops.predictions.logged', buffers[i % DISTINCT]));
  const decoded = buffers.map((b) => {
    const result = decodeEvent('mlops.predictions.logged', b);
    if (!result.ok) throw new Error(result.error);
    return result.event.data;
  });
  const processor = processorFor('bench-cost', generator, 100_000);
  const fold = perRecord((i) => {
    processor.foldPrediction({ ...decoded[i % DISTINCT], requestId: `cost-${i}` }, 0, i);
    if (i % 100_000 === 99_999) processor.takeChanges();
  });
  console.log(`per record, in process: JSON.parse ${parse}, JSON.parse + contract (zod) ${decode}, fold with the join at its 100k cap ${fold}`);
}

function evaluationPerFeature(): void {
  for (const referenceRows of [800, 5000]) {
    const generator = new PredictionGenerator({ modelName: 'bench-eval', features: FEATURES, seed: 2 });
    const processor = processorFor('bench-eval', generator, 1_000_000);
    for (let i = 0; i < 10_000; i++) processor.foldPrediction(generator.next().prediction, 0, i);
    const [window] = processor.openWindows();
    const profile = generator.reference(referenceRows);
    const policy = fixedContext({}).policy('bench-eval').drift;
    evaluateDrift(profile, window, policy);
    const rounds = 20;
    const start = process.hrtime.bigint();
    let tests = '';
    for (let r = 0; r < rounds; r++) tests = evaluateDrift(profile, window, policy).features[0].test;
    const perWindowMs = Number(process.hrtime.bigint() - start) / 1e6 / rounds;
    const columns = FEATURES + profile.predictions.length;
    console.log(`window evaluation, reference ${referenceRows} rows (${tests}), window 10,000 rows: ${perWindowMs.toFixed(2)} ms for ${columns} columns = ${(perWindowMs / columns).toFixed(3)} ms per feature`);
  }
}

/**
 * Heap of one monitored model as the logs go by: measured (after a full GC) once the join is full and the code warm,
 * then at 1M and, with --logs-10m, at 10M logs. Flat means the later figures do not grow with the count.
 */
function heapOfOneModel(): void {
  const heapNow = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const generator = new PredictionGenerator({ modelName: 'bench-memory', features: FEATURES, seed: 3 });
  const events = Array.from({ length: DISTINCT }, () => generator.next().prediction);
  const empty = heapNow();
  const processor = processorFor('bench-memory', generator, 100_000);
  console.log(`heap of the process with the logs to replay, before the model: ${mib(empty)}`);
  const marks = new Map([[200_000, 'warm (join full)'], [1_000_000, '1M'], ...(TEN_MILLION ? [[10_000_000, '10M'] as const] : [])]);
  const last = Math.max(...marks.keys());
  const start = Date.now();
  let base = 0;
  for (let i = 0; i < last; i++) {
    processor.foldPrediction({ ...events[i % DISTINCT], requestId: `r${i}` }, 0, i);
    // Checkpoints drop closed windows' outputs as the service would; the join holds at most its configured entries.
    if (i % 100_000 === 99_999) processor.takeChanges();
    const mark = marks.get(i + 1);
    if (!mark) continue;
    const heap = heapNow();
    base ||= heap;
    console.log(`heap with one model after ${mark} logs: ${mib(heap)}, the model's share ${mib(heap - empty)} (${heap >= base ? '+' : ''}${mib(heap - base)} since warm; ${rate(i + 1, Date.now() - start)} folded)`);
  }
  if (!TEN_MILLION) console.log('(10M-log memory leg skipped: pass --logs-10m)');
}

async function main(): Promise<void> {
  console.log(`load average before: ${load()} (2 cores shared with other engineers' work: figures are noisy)`);
  await consumeFromKafka();
  console.log(`load average: ${load()}`);
  costPerRecord();
  evaluationPerFeature();
  heapOfOneModel();
  console.log(`load average after: ${load()}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
