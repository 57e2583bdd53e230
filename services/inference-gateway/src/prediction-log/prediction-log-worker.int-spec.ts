import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Consumer, KafkaMessage } from 'kafkajs';
import { localKafkaConnection } from '@mlops/config';
import { decodeEvent, EventData } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import { freePort, waitFor } from '@mlops/testing';
import type { PublishOutcome } from './prediction-batch-publisher';
import { RingBatch, WorkerPredictionSink } from './prediction-log-sink';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';
import type { SpoolProgress } from './spool-replay';

const KAFKA = localKafkaConnection('admin', `gateway-log-worker-spec-${randomUUID().slice(0, 8)}`);
const quiet = { child: () => quiet, log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as JsonLogger;

/** The records as the logger hands them over: written into a ring, a span of it posted. */
function inRing(ring: PredictionRing, records: PredictionRecord[]): RingBatch {
  for (const record of records) if (!ring.append(record)) throw new Error('ring full');
  return { buffer: ring.buffer, span: ring.take()! };
}

function recordOf(requestId: string, modelName: string): PredictionRecord {
  return {
    requestId,
    modelName,
    version: 1,
    role: 'champion',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 1], values: Float32Array.from([1]) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([1n]) }],
    latencyMs: 0.1,
    at: new Date(),
  };
}

/** Reads the topic from its end, as any downstream consumer would, keeping the logs of one model. */
async function collectLogs(model: string, onLog: (data: EventData<'mlops.predictions.logged'>, partition: number, message: KafkaMessage) => void): Promise<Consumer> {
  const consumer = createKafka(KAFKA).consumer({ groupId: `gateway-log-worker-spec-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: 'mlops.predictions.logged', fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      const decoded = decodeEvent('mlops.predictions.logged', message.value);
      if (decoded.ok && decoded.event.data.modelName === model) onLog(decoded.event.data, partition, message);
    },
  });
  await joined;
  return consumer;
}

describe('WorkerPredictionSink: prediction logs produced from a worker thread, against real Kafka', () => {
  const model = `log-worker-${randomUUID().slice(0, 8)}`;
  const received: EventData<'mlops.predictions.logged'>[] = [];
  const placed: { partition: number; key: string; contentType: string }[] = [];
  let consumer: Consumer;

  beforeAll(async () => {
    const kafka = createKafka(KAFKA);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'mlops.predictions.logged' }] });
    await admin.disconnect();
    consumer = await collectLogs(model, (data, partition, message) => {
      received.push(data);
      placed.push({ partition, key: String(message.key), contentType: String(message.headers?.['content-type']) });
    });
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect();
  });

  it('publishes every record with all its fields, in order, and reports each batch once', async () => {
    const sink = new WorkerPredictionSink({ kafka: KAFKA, spool: null }, quiet);
    const records: PredictionRecord[] = Array.from({ length: 250 }, (_, i) => ({
      requestId: `req-${i}`,
      modelName: model,
      version: 1 + (i % 2),
      role: i % 2 ? 'challenger' : 'champion',
      // A view into a larger buffer, as tensors decoded from a request often are.
      inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], values: new Float32Array([9, 9, i, 0.5, -1, 9]).subarray(2, 5) }],
      outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([BigInt(i % 2)]) }],
      latencyMs: 0.25,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    }));
    const outcomes: PublishOutcome[] = [];
    const ring = PredictionRing.ofSize(1024 * 1024);
    await Promise.all([records.slice(0, 100), records.slice(100)].map((batch) => new Promise<void>((resolve) => sink.write(inRing(ring, batch), (outcome) => resolve(void outcomes.push(outcome))))));
    await sink.close();
    expect(outcomes.map((o) => o.published)).toEqual([100, 150]);

    await waitFor('all records on the topic', async () => received.length >= records.length, { timeoutMs: 30_000 });
    expect(received.map((p) => p.requestId)).toEqual(records.map((r) => r.requestId));
    // Keyed by model, so one partition holds them all, with the CloudEvents content type on each.
    expect(new Set(placed.map((p) => p.partition)).size).toBe(1);
    expect(new Set(placed.map((p) => `${p.key} ${p.contentType}`))).toEqual(new Set([`${model} application/cloudevents+json; charset=UTF-8`]));
    expect(received[7]).toEqual({
      requestId: 'req-7',
      modelName: model,
      version: 2,
      role: 'challenger',
      inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], data: [7, 0.5, -1] }],
      outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [1] }],
      latencyMs: 0.25,
      timestamp: '2026-01-01T00:00:07.000Z',
    });
  }, 90_000);

  it('counts what a dying worker held as failed, refuses batches for a second rather than restart in a loop, then publishes from a new worker', async () => {
    const sink = new WorkerPredictionSink({ kafka: KAFKA, spool: null }, quiet);
    const ring = PredictionRing.ofSize(1024 * 1024);
    const write = (tag: string, count: number) =>
      new Promise<PublishOutcome>((resolve) => sink.write(inRing(ring, Array.from({ length: count }, (_, i) => recordOf(`${tag}-${i}`, model))), resolve));
    expect(await write('before', 10)).toMatchObject({ published: 10, publishFailed: 0 });

    const held = write('held', 10);
    // The worker thread dies as an uncaught error or an out-of-memory abort would end it, with a batch in hand.
    await (sink as unknown as { worker: Worker }).worker.terminate();
    expect(await held).toMatchObject({ published: 0, publishFailed: 10, warnings: ['10 prediction log records dropped: prediction log worker exited'] });
    expect(await write('refused', 5)).toMatchObject({ published: 0, publishFailed: 5, warnings: ['5 prediction log records dropped: prediction log worker is restarting'] });

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await write('after', 10)).toMatchObject({ published: 10, publishFailed: 0 });
    await sink.close();
    const ids = () => received.map((p) => p.requestId).filter((id) => /^(before|after|refused)-/.test(id));
    await waitFor('the records before and after the restart on the topic', async () => ids().length >= 20, { timeoutMs: 30_000 });
    expect(ids()).toEqual([...Array.from({ length: 10 }, (_, i) => `before-${i}`), ...Array.from({ length: 10 }, (_, i) => `after-${i}`)]);
  }, 90_000);
});

describe('WorkerPredictionSink with no broker to reach', () => {
  it('without a spool, reports every record of a batch as failed, with the reason, instead of holding the batch', async () => {
    const unreachable = { ...KAFKA, brokers: [`127.0.0.1:${await freePort()}`], clientId: 'gateway-log-worker-spec-unreachable' };
    const sink = new WorkerPredictionSink({ kafka: unreachable, spool: null }, quiet);
    const record = recordOf('req-lost', 'log-worker-unreachable');
    const outcome = await new Promise<PublishOutcome>((resolve) => sink.write(inRing(PredictionRing.ofSize(4096), [record, record, record]), resolve));
    await sink.close();
    expect(outcome).toMatchObject({ published: 0, publishFailed: 3, invalid: 0 });
    expect(outcome.warnings).toEqual([expect.stringMatching(/^3 prediction log records dropped: .+/)]);
  }, 60_000);
});

/**
 * The gateway's log worker, on the real broker and real files: first with a broker address where nothing listens
 * (the broker away), so every batch goes to the spool; then that worker is stopped and a new one started on the
 * same spool directory with the broker's right address, as a gateway restarted once the broker is back.
 */
describe('WorkerPredictionSink with a spool: nothing lost while the broker is away', () => {
  const BATCHES = 6;
  const PER_BATCH = 250;
  const model = `spool-${randomUUID().slice(0, 8)}`;
  const received: string[] = [];
  let consumer: Consumer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-spool-spec-'));
    consumer = await collectLogs(model, (data) => received.push(data.requestId));
  }, 60_000);

  afterAll(async () => {
    await consumer?.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spools every record the broker cannot take and, after a restart on the right address, publishes each once, in order', async () => {
    const spool = { dir, maxBytes: 64 * 1024 * 1024, retryMs: 200 };
    const unreachable = { ...KAFKA, brokers: [`127.0.0.1:${await freePort()}`] };
    const away = new WorkerPredictionSink({ kafka: unreachable, spool }, quiet);
    const spooledBytes: number[] = [];
    away.start((progress) => spooledBytes.push(progress.bytes));
    const ring = PredictionRing.ofSize(8 * 1024 * 1024);
    const ids = Array.from({ length: BATCHES * PER_BATCH }, (_, i) => `req-${i}`);
    const outcomes: PublishOutcome[] = [];
    for (let b = 0; b < BATCHES; b++) {
      for (const id of ids.slice(b * PER_BATCH, (b + 1) * PER_BATCH)) ring.append(recordOf(id, model));
      const span = ring.take()!;
      outcomes.push(await new Promise<PublishOutcome>((resolve) => away.write({ buffer: ring.buffer, span }, resolve)));
      ring.release(span);
    }
    await away.close();
    expect(outcomes.map((o) => [o.published, o.spooled, o.publishFailed, o.spoolFull])).toEqual(Array(BATCHES).fill([0, PER_BATCH, 0, 0]));
    expect(spooledBytes[spooledBytes.length - 1]).toBeGreaterThan(0);
    expect(received).toEqual([]);

    const back = new WorkerPredictionSink({ kafka: KAFKA, spool }, quiet);
    const progress: SpoolProgress[] = [];
    back.start((p) => progress.push(p));
    await waitFor('every spooled record on the topic', async () => received.length >= ids.length, { timeoutMs: 60_000 });
    await waitFor('the spool emptied', async () => progress[progress.length - 1]?.bytes === 0, { timeoutMs: 10_000 });
    await back.close();
    // Anything sent twice would arrive within this wait too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(received).toEqual(ids);
    expect(progress.reduce((total, p) => total + p.replayed, 0)).toBe(ids.length);
    expect(readdirSync(dir).filter((name) => name.endsWith('.seg'))).toEqual([]);
  }, 120_000);
});
