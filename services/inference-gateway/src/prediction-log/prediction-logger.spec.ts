import { Registry } from 'prom-client';
import { decodeEvent } from '@mlops/contracts';
import type { EventPublisher, RawMessage } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import type { GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import { predictionEventJson, PredictionLogger, PredictionRecord } from './prediction-logger';

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

  it('writes every datatype as a contract-valid event, the same document JSON.stringify would write', () => {
    const tensors: PredictionRecord['inputs'] = [
      { name: 'f32', datatype: 'FP32', shape: [1, 2], values: Float32Array.from([0.1, NaN]) },
      { name: 'f64', datatype: 'FP64', shape: [1], values: Float64Array.from([1e100]) },
      { name: 'i8', datatype: 'INT8', shape: [1], values: Int8Array.from([-1]) },
      { name: 'i16', datatype: 'INT16', shape: [1], values: Int16Array.from([300]) },
      { name: 'i32', datatype: 'INT32', shape: [1], values: Int32Array.from([-7]) },
      { name: 'i64', datatype: 'INT64', shape: [1], values: BigInt64Array.from([2n ** 40n]) },
      { name: 'u8', datatype: 'UINT8', shape: [1], values: Uint8Array.from([255]) },
      { name: 'b', datatype: 'BOOL', shape: [2], values: Uint8Array.from([0, 1]) },
      { name: 's', datatype: 'BYTES', shape: [1], values: ['"quoted"\n'] },
    ];
    const input = { ...record(1), requestId: 'id "1"', inputs: tensors, outputs: tensors.slice(0, 2) };
    const text = predictionEventJson(input);
    const decoded = decodeEvent('mlops.predictions.logged', Buffer.from(text));
    expect(decoded.ok).toBe(true);
    const event = JSON.parse(text);
    const contract = (t: PredictionRecord['inputs'][number]) => ({ name: t.name, datatype: t.datatype, shape: t.shape, data: Array.from(t.values as ArrayLike<unknown>, (v) => (t.datatype === 'BOOL' ? v !== 0 : typeof v === 'bigint' ? Number(v) : v)) });
    const expected = {
      specversion: '1.0',
      id: event.id,
      source: '/mlops/inference-gateway',
      type: event.type,
      time: '2026-01-01T00:00:00.000Z',
      subject: 'churn',
      datacontenttype: 'application/json',
      data: { requestId: 'id "1"', modelName: 'churn', version: 1, role: 'champion', inputs: tensors.map(contract), outputs: tensors.slice(0, 2).map(contract), latencyMs: 0.2, timestamp: '2026-01-01T00:00:00.000Z' },
    };
    expect(text).toBe(JSON.stringify(expected));
  });

  it('checks a batch whose sample breaks the contract record by record, dropping only the bad ones', async () => {
    const sent: RawMessage[][] = [];
    const publisher = { publishRaw: jest.fn(async (_topic: string, messages: RawMessage[]) => void sent.push(messages)) };
    const registry = new Registry();
    const logger = new PredictionLogger({ predictionLog: { bufferSize: 10, batchSize: 10, flushIntervalMs: 1000 } } as GatewayConfig, publisher as unknown as EventPublisher, new GatewayMetrics(registry), quiet);
    logger.record({ ...record(1), modelName: 'Not A Slug' });
    logger.record(record(2));
    await logger.flush();
    expect(sent.flat().map((message) => decodeEvent('mlops.predictions.logged', message.value).ok && JSON.parse(String(message.value)).data.requestId)).toEqual(['r-2']);
    const dropped = (await registry.getMetricsAsJSON()).find((m) => m.name === 'mlops_inference_gateway_prediction_log_dropped_total');
    expect(Object.fromEntries((dropped?.values ?? []).map((v) => [v.labels.reason, v.value]))).toEqual({ invalid_record: 1 });
  });
});
