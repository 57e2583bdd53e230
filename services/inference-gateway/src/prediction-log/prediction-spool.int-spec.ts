import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Consumer } from 'kafkajs';
import { localKafkaConnection } from '@mlops/config';
import { decodeEvent } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import { freePort, waitFor } from '@mlops/testing';
import type { PublishOutcome } from './prediction-batch-publisher';
import { WorkerPredictionSink } from './prediction-log-sink';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';
import type { SpoolProgress } from './spool-replay';

const KAFKA = localKafkaConnection('admin', `gateway-spool-spec-${randomUUID().slice(0, 8)}`);
const quiet = { child: () => quiet, log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as JsonLogger;
const BATCHES = 6;
const PER_BATCH = 250;

function recordOf(requestId: string, modelName: string): PredictionRecord {
  return {
    requestId,
    modelName,
    version: 1,
    role: 'champion',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], values: Float32Array.from({ length: 20 }, (_, i) => i / 4) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([1n]) }],
    latencyMs: 0.1,
    at: new Date(),
  };
}

/**
 * The gateway's log worker, on the real broker and real files: first with a broker address where nothing listens
 * (the broker away), so every batch goes to the spool; then that worker is stopped and a new one started on the
 * same spool directory with the broker's right address, as a gateway restarted once the broker is back.
 */
describe('WorkerPredictionSink with a spool: nothing lost while the broker is away', () => {
  const model = `spool-${randomUUID().slice(0, 8)}`;
  const received: string[] = [];
  let consumer: Consumer;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-spool-spec-'));
    consumer = createKafka(KAFKA).consumer({ groupId: `gateway-spool-spec-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'mlops.predictions.logged', fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent('mlops.predictions.logged', message.value);
        if (decoded.ok && decoded.event.data.modelName === model) received.push(decoded.event.data.requestId);
      },
    });
    await joined;
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
