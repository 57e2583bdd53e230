import { decodeEvent } from '@mlops/contracts';
import { predictionEventJson } from './prediction-event-json';
import type { PredictionRecord } from './prediction-record';

const base: PredictionRecord = {
  requestId: 'r-1',
  modelName: 'churn',
  version: 1,
  role: 'champion',
  inputs: [],
  outputs: [],
  latencyMs: 0.2,
  at: new Date('2026-01-01T00:00:00Z'),
};

describe('predictionEventJson', () => {
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
    const input = { ...base, requestId: 'id "1"', inputs: tensors, outputs: tensors.slice(0, 2) };
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

  it('writes each record its own time and model when consecutive records differ', () => {
    const later = new Date('2026-01-01T00:00:00.001Z');
    const sequence = [base, { ...base, modelName: 'fraud' }, { ...base, modelName: 'fraud', at: later }, base];
    const written = sequence.map((record) => JSON.parse(predictionEventJson(record)));
    expect(written.map((event) => [event.subject, event.data.modelName, event.time, event.data.timestamp])).toEqual([
      ['churn', 'churn', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['fraud', 'fraud', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
      ['fraud', 'fraud', '2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.001Z'],
      ['churn', 'churn', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    ]);
  });
});
