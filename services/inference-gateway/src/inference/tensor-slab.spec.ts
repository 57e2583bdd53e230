import { TensorSlab } from './tensor-slab';

describe('TensorSlab', () => {
  it('carves zeroed arrays that never overlap, each at an offset aligned to 8', () => {
    const slab = new TensorSlab(256, 64);
    const a = slab.carve(Float32Array, 3);
    const b = slab.carve(BigInt64Array, 2);
    const c = slab.carve(Uint8Array, 5);
    expect([a.buffer, b.buffer, c.buffer].every((buffer) => buffer === a.buffer)).toBe(true);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, 16, 32]);
    a.fill(1);
    b.fill(2n);
    c.fill(3);
    expect(Array.from(a)).toEqual([1, 1, 1]);
    expect(Array.from(b)).toEqual([2n, 2n]);
    expect(Array.from(c)).toEqual([3, 3, 3, 3, 3]);
  });

  it('starts a fresh slab when the current one is full, leaving arrays already carved as they are', () => {
    const slab = new TensorSlab(64, 64);
    const first = slab.carve(Float64Array, 6);
    first.fill(7);
    const second = slab.carve(Float64Array, 4);
    expect(second.buffer).not.toBe(first.buffer);
    expect(second.byteOffset).toBe(0);
    expect(Array.from(second)).toEqual([0, 0, 0, 0]);
    expect(Array.from(first)).toEqual([7, 7, 7, 7, 7, 7]);
  });

  it('gives an array bigger than the carving limit a buffer of its own', () => {
    const slab = new TensorSlab(1024, 64);
    const big = slab.carve(Float32Array, 17);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(68);
  });
});
