import { FeatureMatrix } from '../dataset';
import { SeededRandom } from '../random';

/** Bins per feature are capped at 255 so a bin index and the missing-value slot fit in one byte. */
export const MAX_BINS = 255;
/** Histogram stride per feature: 255 value bins + the missing-value bin. */
export const BIN_SLOTS = 256;
/** Bin boundaries come from at most this many sampled rows, as in LightGBM's bin_construct_sample_cnt. */
const BIN_SAMPLE_ROWS = 200_000;

/**
 * Per feature, ascending float32 upper bounds: value v (as float32) falls in the first bin b with
 * v <= thresholds[b], else in the last bin (thresholds.length); NaN falls in the missing bin. Using float32
 * boundaries and float32 comparisons makes a split on "bin <= b" the same test as ONNX's BRANCH_LEQ.
 */
export interface FeatureBins {
  thresholds: Float32Array[];
}

export function missingBin(bins: FeatureBins, feature: number): number {
  return bins.thresholds[feature].length + 1;
}

export function fitBins(features: FeatureMatrix, maxBins: number, seed: number): FeatureBins {
  const { rows, cols, values } = features;
  const sampleRows = rows <= BIN_SAMPLE_ROWS ? null : new SeededRandom(seed).permutation(rows).subarray(0, BIN_SAMPLE_ROWS).sort();
  const n = sampleRows ? sampleRows.length : rows;
  const column = new Float32Array(n);
  const thresholds: Float32Array[] = [];
  for (let c = 0; c < cols; c++) {
    let count = 0;
    for (let i = 0; i < n; i++) {
      const r = sampleRows ? sampleRows[i] : i;
      const v = values[r * cols + c];
      if (v === v) column[count++] = v;
    }
    thresholds.push(boundaries(column.subarray(0, count).sort(), maxBins));
  }
  return { thresholds };
}

/** Equal-frequency boundaries over sorted float32 values, placed between distinct neighbours. */
function boundaries(sorted: Float32Array, maxBins: number): Float32Array {
  const out: number[] = [];
  const n = sorted.length;
  if (n === 0) return new Float32Array(0);
  let distinct = 1;
  for (let i = 1; i < n && distinct <= maxBins; i++) if (sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    for (let i = 1; i < n; i++) if (sorted[i] !== sorted[i - 1]) out.push(between(sorted[i - 1], sorted[i]));
    return Float32Array.from(out);
  }
  let last = -Infinity;
  for (let k = 1; k < maxBins; k++) {
    let i = Math.floor((k * n) / maxBins);
    // move past a run of ties so the boundary separates distinct values
    while (i < n && sorted[i] === sorted[i - 1]) i++;
    if (i >= n) break;
    const t = between(sorted[i - 1], sorted[i]);
    if (t > last) {
      out.push(t);
      last = t;
    }
  }
  return Float32Array.from(out);
}

/** A float32 t with lower <= t < upper, near the midpoint. */
function between(lower: number, upper: number): number {
  const mid = Math.fround(lower / 2 + upper / 2);
  return mid >= lower && mid < upper ? mid : lower;
}

/** Bin index of one value, by binary search over the float32 boundaries. */
export function binOf(thresholds: Float32Array, value: number): number {
  const v = Math.fround(value);
  if (v !== v) return thresholds.length + 1;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= thresholds[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Row-major bin indices, one byte per value: the bin of row r, feature c is at r * cols + c. Agrees with binOf. */
export function applyBins(bins: FeatureBins, features: FeatureMatrix): Uint8Array {
  const { rows, cols, values } = features;
  const out = new Uint8Array(rows * cols);
  // boundaries padded with +Infinity to 256 entries: a fixed eight-step search without data-dependent branches
  const padded = new Float32Array(BIN_SLOTS).fill(Infinity);
  for (let c = 0; c < cols; c++) {
    const t = bins.thresholds[c];
    const missing = t.length + 1;
    padded.fill(Infinity).set(t);
    for (let i = c; i < rows * cols; i += cols) {
      const v = Math.fround(values[i]);
      let b = 0;
      for (let step = 128; step > 0; step >>= 1) b += +(v > padded[b + step - 1]) * step;
      out[i] = v === v ? b : missing;
    }
  }
  return out;
}
