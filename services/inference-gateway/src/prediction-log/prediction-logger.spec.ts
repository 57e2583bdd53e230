import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { PublishOutcome } from './prediction-batch-publisher';
import type { PredictionSink, RingBatch, SpoolListener } from './prediction-log-sink';
import { PredictionLogger, PredictionRecord } from './prediction-logger';
import { PredictionRing } from './prediction-ring';

const quiet = { child: () => quiet, log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as JsonLogger;

function record(i: number): PredictionRecord {
  return {
    requestId: `r-${i}`,
    modelName: 'churn',
    version: 1,
    role: 'champion',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], values: Float32Array.from([i, 0.5]) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([1n]) }],
    latencyMs: 0.2,
    at: new Date('2026-01-01T00:00:00Z'),
  };
}

/** A sink that holds batches until the test settles them. */
class HeldSink implements PredictionSink {
  readonly batches: { records: PredictionRecord[]; done: (outcome: PublishOutcome) => void }[] = [];
  closed = false;
  onSpool: SpoolListener = () => undefined;
  start(onSpool: SpoolListener): void {
    this.onSpool = onSpool;
  }
  write(batch: RingBatch, done: (outcome: PublishOutcome) => void): void {
    this.batches.push({ records: PredictionRing.read(batch.buffer, batch.span), done });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  settle(outcome: (records: PredictionRecord[]) => PublishOutcome): void {
    for (const batch of this.batches.splice(0)) batch.done(outcome(batch.records));
  }
}

const published = (records: PredictionRecord[]): PublishOutcome => ({ published: records.length, spooled: 0, publishFailed: 0, spoolFull: 0, invalid: 0, warnings: [] });

async function metric(registry: Registry, name: string): Promise<Record<string, number>> {
  const found = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Object.fromEntries((found?.values ?? []).map((v) => [String(v.labels.reason ?? ''), v.value]));
}

function setUp(limits: Omit<GatewayConfig['predictionLog'], 'bufferBytes' | 'spool'> & Partial<Pick<GatewayConfig['predictionLog'], 'bufferBytes' | 'spool'>>) {
  const predictionLog = { bufferBytes: 1024 * 1024, spool: null, ...limits };
  const sink = new HeldSink();
  const registry = new Registry();
  const logger = new PredictionLogger({ predictionLog } as GatewayConfig, sink, new GatewayMetrics(registry), quiet);
  return { sink, registry, logger };
}

describe('PredictionLogger', () => {
  it('hands buffered records to the sink in batches of the configured size, in order, and counts what was published', async () => {
    const { sink, registry, logger } = setUp({ bufferSize: 10, batchSize: 2, flushIntervalMs: 1000 });
    [1, 2, 3].forEach((i) => logger.record(record(i)));
    const flushed = logger.flush();
    expect(sink.batches.map((b) => b.records.map((r) => r.requestId))).toEqual([['r-1', 'r-2'], ['r-3']]);
    sink.settle(published);
    await flushed;
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_published_total')).toEqual({ '': 3 });
  });

  it('bounds records buffered and those the sink still holds together, counting what does not fit as dropped', async () => {
    const { sink, registry, logger } = setUp({ bufferSize: 3, batchSize: 10, flushIntervalMs: 1000 });
    [1, 2].forEach((i) => logger.record(record(i)));
    const flushed = logger.flush();
    [3, 4, 5].forEach((i) => logger.record(record(i)));
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_buffer_depth')).toEqual({ '': 3 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_dropped_total')).toEqual({ buffer_full: 2, publish_failed: 0, invalid_record: 0, spool_full: 0 });
    sink.settle(published);
    await flushed;
    logger.record(record(6));
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_buffer_depth')).toEqual({ '': 2 });
  });

  it('bounds the bytes waiting too: a record that does not fit is dropped, and released space is written again', async () => {
    const { sink, registry, logger } = setUp({ bufferSize: 1000, batchSize: 1000, flushIntervalMs: 1000, bufferBytes: 1024 });
    const big = { ...record(0), requestId: 'big', inputs: [{ name: 'X', datatype: 'FP32' as const, shape: [1, 300], values: new Float32Array(300) }] };
    logger.record(big);
    for (let i = 1; i <= 20; i++) logger.record(record(i));
    const flushed = logger.flush();
    const accepted = sink.batches[0].records.map((r) => r.requestId);
    expect(accepted.length).toBeGreaterThan(3);
    expect(accepted).toEqual(Array.from({ length: accepted.length }, (_, i) => `r-${i + 1}`));
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_dropped_total')).toEqual({ buffer_full: 21 - accepted.length, publish_failed: 0, invalid_record: 0, spool_full: 0 });
    sink.settle(published);
    await flushed;
    // Around the end of the ring and back to its start, each record read back whole.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < accepted.length; i++) logger.record(record(100 * round + i));
      const again = logger.flush();
      expect(sink.batches[0].records).toEqual(Array.from({ length: accepted.length }, (_, i) => record(100 * round + i)));
      sink.settle(published);
      await again;
    }
  });

  it('counts records the sink could not publish or found invalid as dropped, by reason, without throwing', async () => {
    const { sink, registry, logger } = setUp({ bufferSize: 10, batchSize: 10, flushIntervalMs: 1000 });
    [1, 2, 3].forEach((i) => logger.record(record(i)));
    const flushed = logger.flush();
    sink.settle(() => ({ published: 0, spooled: 0, publishFailed: 2, spoolFull: 0, invalid: 1, warnings: ['broker down'] }));
    await expect(flushed).resolves.toBeUndefined();
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_dropped_total')).toEqual({ buffer_full: 0, publish_failed: 2, invalid_record: 1, spool_full: 0 });
  });

  it('counts spooled records, drops past the spool bound, and records replayed later as published', async () => {
    const { sink, registry, logger } = setUp({ bufferSize: 10, batchSize: 10, flushIntervalMs: 1000 });
    logger.onModuleInit();
    [1, 2, 3].forEach((i) => logger.record(record(i)));
    const flushed = logger.flush();
    sink.settle(() => ({ published: 0, spooled: 2, publishFailed: 0, spoolFull: 1, invalid: 0, warnings: ['spool full'] }));
    await flushed;
    sink.onSpool({ replayed: 0, bytes: 1400 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_spooled_total')).toEqual({ '': 2 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_dropped_total')).toEqual({ buffer_full: 0, publish_failed: 0, invalid_record: 0, spool_full: 1 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_spool_bytes')).toEqual({ '': 1400 });
    sink.onSpool({ replayed: 2, bytes: 0 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_published_total')).toEqual({ '': 2 });
    expect(await metric(registry, 'mlops_inference_gateway_prediction_log_spool_bytes')).toEqual({ '': 0 });
    await logger.onApplicationShutdown();
  });

  it('hands over what is left and closes the sink on shutdown', async () => {
    const { sink, logger } = setUp({ bufferSize: 10, batchSize: 10, flushIntervalMs: 1000 });
    logger.record(record(1));
    const shutdown = logger.onApplicationShutdown();
    expect(sink.batches).toHaveLength(1);
    sink.settle(published);
    await shutdown;
    expect(sink.closed).toBe(true);
  });

  describe('with a spool, journaling every record before its answer', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'logger-journal-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const withSpool = () => setUp({ bufferSize: 10, batchSize: 10, flushIntervalMs: 60_000, spool: { dir, maxBytes: 1 << 20, retryMs: 1000 } });
    const journaled = () => readdirSync(join(dir, 'journal')).filter((name) => name.endsWith('.journal'));

    it('holds records on disk until the sink says what became of them', async () => {
      const { sink, logger } = withSpool();
      logger.onModuleInit();
      [1, 2].forEach((i) => logger.record(record(i)));
      expect(journaled()).toHaveLength(1);
      const flushed = logger.flush();
      logger.record(record(3));
      expect(journaled()).toHaveLength(2);
      sink.settle(published);
      await flushed;
      expect(journaled()).toHaveLength(1);
      const shutdown = logger.onApplicationShutdown();
      sink.settle(published);
      await shutdown;
      expect(journaled()).toEqual([]);
    });

    it('logs again, before anything new, the records a process killed before their outcome left behind', async () => {
      const killed = withSpool();
      killed.logger.onModuleInit();
      [1, 2].forEach((i) => killed.logger.record(record(i)));
      void killed.logger.flush();
      killed.logger.record(record(3));
      // Killed here: one batch handed over without an outcome, one record not handed over at all.
      const { sink, registry, logger } = withSpool();
      logger.onModuleInit();
      logger.record(record(4));
      const flushed = logger.flush();
      expect(sink.batches.flatMap((b) => b.records.map((r) => r.requestId))).toEqual(['r-1', 'r-2', 'r-3', 'r-4']);
      expect(journaled()).toHaveLength(2);
      sink.settle(published);
      await flushed;
      expect(journaled()).toEqual([]);
      expect(await metric(registry, 'mlops_inference_gateway_prediction_log_published_total')).toEqual({ '': 4 });
      await logger.onApplicationShutdown();
    });
  });
});
