import type { DecodedTensor } from '../inference/tensor';
import type { PredictionRecord } from './prediction-record';
import { packRecords, unpackRecords } from './prediction-record-packing';

const tensors: DecodedTensor[] = [
  { name: 'f32', datatype: 'FP32', shape: [1, 3], values: Float32Array.from([0.1, NaN, -2]) },
  { name: 'f64', datatype: 'FP64', shape: [1], values: Float64Array.from([1e100]) },
  { name: 'i8', datatype: 'INT8', shape: [1], values: Int8Array.from([-1]) },
  { name: 'i16', datatype: 'INT16', shape: [1, 1], values: Int16Array.from([300]) },
  { name: 'i32', datatype: 'INT32', shape: [2], values: Int32Array.from([-7, 8]) },
  { name: 'i64', datatype: 'INT64', shape: [1], values: BigInt64Array.from([2n ** 40n]) },
  { name: 'u8', datatype: 'UINT8', shape: [1], values: Uint8Array.from([255]) },
  { name: 'b', datatype: 'BOOL', shape: [3], values: Uint8Array.from([0, 1, 1]) },
  { name: 's', datatype: 'BYTES', shape: [2], values: ['"quoted"\n', ''] },
  { name: 'scalar', datatype: 'FP32', shape: [], values: Float32Array.from([4]) },
];

function record(i: number, inputs: DecodedTensor[], outputs: DecodedTensor[]): PredictionRecord {
  return { requestId: `r-${i}`, modelName: 'churn', version: i, role: i % 2 ? 'shadow' : 'champion', inputs, outputs, latencyMs: 0.25 * i, at: new Date(1_700_000_000_000 + i) };
}

describe('packRecords / unpackRecords', () => {
  it('gives back every record field for field, for every datatype, with tensors in one transferable buffer', () => {
    const records = [record(1, tensors, tensors.slice(0, 3)), record(2, tensors.slice(5), []), record(3, [], tensors.slice(8))];
    const packed = packRecords(records);
    expect(packed.fields.every((field) => field === null || typeof field !== 'object')).toBe(true);
    const back = unpackRecords(structuredClone(packed, { transfer: [packed.bytes] }));
    expect(back).toEqual(records);
    expect(back[0].inputs.map((t) => t.values.constructor.name)).toEqual(tensors.map((t) => t.values.constructor.name));
  });

  it('copies only a view\'s own bytes, not the larger buffer it looks into', () => {
    const shared = new Float32Array(4096);
    shared.set([1, 2, 3], 100);
    const probabilities = new Float64Array(64).subarray(7, 9);
    probabilities.set([0.25, 0.75]);
    const packed = packRecords([record(1, [{ name: 'X', datatype: 'FP32', shape: [1, 3], values: shared.subarray(100, 103) }], [{ name: 'p', datatype: 'FP64', shape: [1, 2], values: probabilities }])]);
    expect(packed.bytes.byteLength).toBe(16 + 16);
    const [back] = unpackRecords(packed);
    expect(Array.from(back.inputs[0].values as Float32Array)).toEqual([1, 2, 3]);
    expect(Array.from(back.outputs[0].values as Float64Array)).toEqual([0.25, 0.75]);
  });

  it('packs an empty batch', () => {
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });
});
