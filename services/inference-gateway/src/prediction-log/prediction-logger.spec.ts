import { Registry } from 'prom-client';
import { decodeEvent } from '@mlops/contracts';
import type { EventPublisher, RawMessage } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { PredictionLogger, PredictionRecord } from './prediction-logger';

const quiet = { child: () => quiet, log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as JsonLogger;
const config = { predictionLog: { bufferSize: 3, batchSize: 2, flushIntervalMs: 1000 } } as GatewayConfig;

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

async function counter(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('PredictionLogger', () => {
  it('publishes buffered records in batches as contract-valid events keyed by model', async () => {
    const sent: RawMessage[][] = [];
    const publisher = { publishRaw: jest.fn(async (_topic: string, messages: RawMessage[]) => void sent.push(messages)) };
    const registry = new Registry();
    const logger = new PredictionLogger(config, publisher as unknown as EventPublisher, new GatewayMetrics(registry), quiet);
    [1, 2, 3].forEach((i) => logger.record(record(i)));
    await logger.flush();
    expect(sent.map((batch) => batch.length)).toEqual([2, 1]);
    const decoded = decodeEvent('mlops.predictions.logged', sent[0][0].value);
    expect(decoded.ok && decoded.event.data).toMatchObject({ requestId: 'r-1', inputs: [{ data: [1, 0.5] }], outputs: [{ datatype: 'INT64', data: [1] }] });
    expect(sent[0][0].key).toBe('churn');
    expect(await counter(registry, 'mlops_inference_gateway_prediction_log_published_total')).toBe(3);
  });

  it('drops and counts what does not fit the buffer, and what the broker refuses, without throwing', async () => {
    const publisher = { publishRaw: jest.fn().mockRejectedValue(new Error('broker down')) };
    const registry = new Registry();
    const logger = new PredictionLogger(config, publisher as unknown as EventPublisher, new GatewayMetrics(registry), quiet);
    [1, 2, 3, 4, 5].forEach((i) => logger.record(record(i)));
    await expect(logger.flush()).resolves.toBeUndefined();
    const dropped = (await registry.getMetricsAsJSON()).find((m) => m.name === 'mlops_inference_gateway_prediction_log_dropped_total');
    expect(Object.fromEntries((dropped?.values ?? []).map((v) => [v.labels.reason, v.value]))).toEqual({ buffer_full: 2, publish_failed: 2 });
  });
});
