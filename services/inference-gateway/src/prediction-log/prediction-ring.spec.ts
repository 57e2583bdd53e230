import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';

function record(i: number, extra: Partial<PredictionRecord> = {}): PredictionRecord {
  return {
    requestId: `req-${i}`,
    modelName: 'churn',
    version: 3,
    role: 'challenger',
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 2], values: Float32Array.from([i, 0.5]) }],
    outputs: [{ name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([BigInt(i)]) }],
    latencyMs: 0.25,
    at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
    ...extra,
  };
}

describe('PredictionRing', () => {
  it('reads back every field of every datatype, views into a larger buffer included', () => {
    const ring = PredictionRing.ofSize(4096);
    const wide = new Float64Array([9, 1.5, -2.25, 9]);
    const full = record(1, {
      requestId: 'r-é-1',
      modelName: 'modèle',
      role: 'shadow',
      inputs: [
        { name: 'a', datatype: 'FP64', shape: [1, 2], values: wide.subarray(1, 3) },
        { name: 'b', datatype: 'INT32', shape: [3], values: Int32Array.from([-1, 0, 2 ** 31 - 1]) },
        { name: 'c', datatype: 'BOOL', shape: [2], values: Uint8Array.from([1, 0]) },
        { name: 'd', datatype: 'BYTES', shape: [2], values: ['', 'naïve ☃'] },
        { name: 'e', datatype: 'INT8', shape: [1], values: Int8Array.from([-7]) },
        { name: 'f', datatype: 'INT16', shape: [1], values: Int16Array.from([-300]) },
        { name: 'g', datatype: 'UINT8', shape: [1], values: Uint8Array.from([255]) },
      ],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [1], values: BigInt64Array.from([-(2n ** 62n)]) },
        { name: 'p', datatype: 'FP32', shape: [1, 2], values: Float32Array.from([0.25, 0.75]) },
      ],
    });
    expect(ring.append(full)).not.toBeNull();
    expect(ring.append(record(2))).not.toBeNull();
    const span = ring.take()!;
    expect(span.count).toBe(2);
    expect(PredictionRing.read(ring.buffer, span)).toEqual([full, record(2)]);
    expect(ring.take()).toBeNull();
  });

  it('refuses what does not fit until the space is released, then wraps around to the start', () => {
    const ring = PredictionRing.ofSize(1024);
    let accepted = 0;
    while (ring.append(record(accepted))) accepted++;
    expect(accepted).toBeGreaterThan(3);
    const first = ring.take()!;
    expect(ring.append(record(99))).toBeNull();
    ring.release(first);
    for (let round = 1; round <= 5; round++) {
      const batch = Array.from({ length: accepted - 1 }, (_, i) => record(round * 100 + i));
      for (const r of batch) expect(ring.append(r)).not.toBeNull();
      const span = ring.take()!;
      expect(PredictionRing.read(ring.buffer, span)).toEqual(batch);
      ring.release(span);
    }
  });

  it('never accepts a record larger than the whole ring', () => {
    const ring = PredictionRing.ofSize(256);
    expect(ring.append(record(1, { inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 100], values: new Float32Array(100) }] }))).toBeNull();
    expect(ring.take()).toBeNull();
  });

  it('reads back records laid end to end from the bytes of their slots, leaving out one cut short', () => {
    const ring = PredictionRing.ofSize(4096);
    const records = [record(1), record(2), record(3)];
    const slots = records.map((r) => ring.append(r)!);
    const whole = Buffer.concat(slots.map(({ at, size }) => ring.bytes.subarray(at, at + size)));
    const copy = (bytes: Buffer) => new Uint8Array(bytes).buffer;
    expect(PredictionRing.readAll(copy(whole))).toEqual(records);
    expect(PredictionRing.readAll(copy(whole.subarray(0, whole.length - 3)))).toEqual(records.slice(0, 2));
    expect(PredictionRing.readAll(new ArrayBuffer(0))).toEqual([]);
  });
});
