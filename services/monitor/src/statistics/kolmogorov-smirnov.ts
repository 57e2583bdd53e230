import { kolmogorovSf } from './kolmogorov-distribution';

export interface TestResult {
  statistic: number;
  pValue: number;
}

/** scipy's 'auto': the exact distribution while both samples have at most this many values. */
const MAX_EXACT_N = 10_000;

/**
 * Two-sided two-sample Kolmogorov-Smirnov test as scipy's `ks_2samp(a, b)` (method 'auto'): the largest gap between
 * the empirical CDFs, its exact p-value by lattice-path counting while both samples hold at most 10,000 values, and
 * beyond that the Kolmogorov distribution at n = round(n1·n2 / (n1 + n2)).
 */
export function ks2Samp(a: ArrayLike<number>, b: ArrayLike<number>): TestResult {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const statistic = ksStatistic(x, y);
  return { statistic, pValue: ksPValue(statistic, x.length, y.length) };
}

/** sup |F_x - F_y| of two ascending samples, evaluated after every distinct value. */
export function ksStatistic(x: Float64Array, y: Float64Array): number {
  if (x.length === 0 || y.length === 0) throw new RangeError('the Kolmogorov-Smirnov test needs two non-empty samples');
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * The two-sided p-value of a statistic from samples of n1 and n2 values, chosen as scipy's 'auto' does; `asymptotic`
 * skips the exact count (O(n1·band)) where scipy's exact answer is not what is asked for.
 */
export function ksPValue(d: number, n1: number, n2: number, method: 'auto' | 'asymptotic' = 'auto'): number {
  if (method === 'auto' && Math.max(n1, n2) <= MAX_EXACT_N) {
    const exact = exactTwoSidedPValue(d, n1, n2);
    if (exact !== null) return exact;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  return Math.min(1, Math.max(0, kolmogorovSf(Math.round((m * n) / (m + n)), d)));
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Null when the computation leaves [0, 1] (scipy then falls back to the asymptotic value too). */
function exactTwoSidedPValue(d: number, n1: number, n2: number): number | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? outsideSquare(n1, h) : 1 - insideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 && Number.isFinite(p) ? p : null;
}

/** Equal sample sizes: 2·Σ_k (-1)^(k-1) C(2n, n - kh) / C(2n, n), nested so no term cancels another. */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * The share of monotone lattice paths from (0,0) to (n1,n2) that stay strictly inside |x·n2/g - y·n1/g| < h, with
 * each cell holding paths-inside / all-paths so every number stays in [0, 1] however large the binomials get. Only
 * the band's cells are visited: about 2·d·n of them per column instead of n.
 */
function insideBand(n1: number, n2: number, g: number, h: number): number {
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const mg = m / g;
  const ng = n / g;
  // Inside means x·ng - h < y·mg < x·ng + h.
  const lowest = (x: number) => Math.max(0, Math.floor((x * ng - h) / mg) + 1);
  const highest = (x: number) => Math.min(n, Math.ceil((x * ng + h) / mg) - 1);
  let row = new Float64Array(n + 1);
  let next = new Float64Array(n + 1);
  for (let y = 0; y <= highest(0); y++) row[y] = 1;
  let previousLow = 0;
  let previousHigh = highest(0);
  for (let x = 1; x <= m; x++) {
    const low = lowest(x);
    const high = highest(x);
    for (let y = previousLow; y <= previousHigh; y++) next[y] = 0;
    for (let y = low; y <= high; y++) {
      const fromLeft = y >= previousLow && y <= previousHigh ? row[y] * (x / (x + y)) : 0;
      const fromBelow = y > low ? next[y - 1] * (y / (x + y)) : 0;
      next[y] = fromLeft + fromBelow;
    }
    for (let y = previousLow; y <= previousHigh; y++) row[y] = 0;
    [row, next] = [next, row];
    previousLow = low;
    previousHigh = high;
    if (low > high) return 0;
  }
  return previousHigh >= n && previousLow <= n ? row[n] : 0;
}

/** Ascending values each standing for `weight` observations: a reference sample or a sketch's bins. */
export interface WeightedSample {
  values: ArrayLike<number>;
  weights: ArrayLike<number>;
}

/** sup |F_a - F_b| between two weighted samples, each CDF normalised by its own total weight. */
export function weightedKsStatistic(a: WeightedSample, b: WeightedSample): number {
  const totalA = total(a.weights);
  const totalB = total(b.weights);
  let i = 0;
  let j = 0;
  let cdfA = 0;
  let cdfB = 0;
  let d = 0;
  while (i < a.values.length && j < b.values.length) {
    const value = Math.min(a.values[i], b.values[j]);
    while (i < a.values.length && a.values[i] === value) cdfA += a.weights[i++];
    while (j < b.values.length && b.values[j] === value) cdfB += b.weights[j++];
    d = Math.max(d, Math.abs(cdfA / totalA - cdfB / totalB));
  }
  return d;
}

function total(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i];
  return sum;
}
