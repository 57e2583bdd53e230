/**
 * A uniform sample of at most `capacity` values from a stream (Vitter's algorithm R) with its own seeded generator,
 * so a restored reservoir continues exactly as the one that was checkpointed.
 */
export interface Reservoir {
  capacity: number;
  seen: number;
  values: number[];
  randomState: number;
}

export function newReservoir(capacity: number, seed: number): Reservoir {
  return { capacity, seen: 0, values: [], randomState: seed >>> 0 };
}

export function offer(reservoir: Reservoir, value: number): void {
  reservoir.seen++;
  if (reservoir.values.length < reservoir.capacity) {
    reservoir.values.push(value);
    return;
  }
  const slot = Math.floor(nextRandom(reservoir) * reservoir.seen);
  if (slot < reservoir.capacity) reservoir.values[slot] = value;
}

/** mulberry32: small, fast, and its whole state is one 32-bit number. */
function nextRandom(reservoir: Reservoir): number {
  reservoir.randomState = (reservoir.randomState + 0x6d2b79f5) >>> 0;
  let t = reservoir.randomState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
