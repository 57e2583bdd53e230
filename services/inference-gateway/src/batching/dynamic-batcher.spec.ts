import type { DecodedTensor } from '../inference/tensor';
import { DynamicBatcher } from './dynamic-batcher';

const rowsOf = (...values: number[][]): DecodedTensor[] => [{ name: 'X', datatype: 'FP32', shape: [values.length, 2], values: Float32Array.from(values.flat()) }];

/** Doubles every value and adds a per-row output, so splitting back by rows is visible. */
function doubling(inputs: DecodedTensor[]): DecodedTensor[] {
  const x = inputs[0];
  const rows = x.shape[0];
  return [
    { name: 'y', datatype: 'FP32', shape: x.shape, values: (x.values as Float32Array).map((v) => v * 2) },
    { name: 'n', datatype: 'INT64', shape: [rows], values: BigInt64Array.from({ length: rows }, () => BigInt(rows)) },
  ];
}

describe('DynamicBatcher', () => {
  it('coalesces requests that arrive together into one run and splits the outputs back by rows', async () => {
    const run = jest.fn(doubling);
    const observed: number[] = [];
    const batcher = new DynamicBatcher({ maxBatchSize: 8, maxQueueDelayUs: 100 }, run, (rows) => observed.push(rows));
    const [a, b] = await Promise.all([batcher.submit(rowsOf([1, 2])), batcher.submit(rowsOf([3, 4], [5, 6]))]);
    expect(run).toHaveBeenCalledTimes(1);
    expect(observed).toEqual([3]);
    expect(Array.from(a[0].values as Float32Array)).toEqual([2, 4]);
    expect(a[0].shape).toEqual([1, 2]);
    expect(Array.from(b[0].values as Float32Array)).toEqual([6, 8, 10, 12]);
    expect(Array.from(b[1].values as BigInt64Array)).toEqual([3n, 3n]);
  });

  it('sends a full batch at once and starts a new one for what does not fit', async () => {
    const run = jest.fn(doubling);
    const batcher = new DynamicBatcher({ maxBatchSize: 2, maxQueueDelayUs: 10_000_000 }, run, () => undefined);
    const results = await Promise.all([batcher.submit(rowsOf([1, 1])), batcher.submit(rowsOf([2, 2])), batcher.submit(rowsOf([3, 3], [4, 4]))]);
    expect(run.mock.calls.map(([inputs]) => inputs[0].shape[0])).toEqual([2, 2]);
    expect(results.map((r) => Array.from(r[0].values as Float32Array))).toEqual([[2, 2], [4, 4], [6, 6, 8, 8]]);
  });

  it('fails every request of a batch whose run fails', async () => {
    const batcher = new DynamicBatcher({ maxBatchSize: 4, maxQueueDelayUs: 10 }, () => {
      throw new Error('boom');
    }, () => undefined);
    const outcomes = await Promise.allSettled([batcher.submit(rowsOf([1, 1])), batcher.submit(rowsOf([2, 2]))]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });
});
