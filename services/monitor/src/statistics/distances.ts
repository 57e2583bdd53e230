/** Distances between distributions: 1-D Wasserstein (scipy's `wasserstein_distance`), Jensen-Shannon, PSI. */

/**
 * The first Wasserstein distance between two weighted samples, ∫|U(t) - V(t)| dt over their CDFs; weights default
 * to 1 per value, as scipy's `wasserstein_distance(u, v, uWeights, vWeights)`.
 */
export function wasserstein(
  u: ArrayLike<number>,
  v: ArrayLike<number>,
  uWeights?: ArrayLike<number>,
  vWeights?: ArrayLike<number>,
): number {
  const a = sortedWeighted(u, uWeights);
  const b = sortedWeighted(v, vWeights);
  let i = 0;
  let j = 0;
  let cdfA = 0;
  let cdfB = 0;
  let previous = Math.min(a.values[0], b.values[0]);
  let distance = 0;
  while (i < a.values.length || j < b.values.length) {
    const next = Math.min(i < a.values.length ? a.values[i] : Infinity, j < b.values.length ? b.values[j] : Infinity);
    distance += Math.abs(cdfA - cdfB) * (next - previous);
    while (i < a.values.length && a.values[i] === next) cdfA += a.weights[i++] / a.total;
    while (j < b.values.length && b.values[j] === next) cdfB += b.weights[j++] / b.total;
    previous = next;
  }
  return distance;
}

interface WeightedSample {
  values: Float64Array;
  weights: Float64Array;
  total: number;
}

function sortedWeighted(values: ArrayLike<number>, weights?: ArrayLike<number>): WeightedSample {
  if (values.length === 0) throw new RangeError('a distance needs two non-empty samples');
  if (weights && weights.length !== values.length) throw new RangeError(`${weights.length} weights for ${values.length} values`);
  let ascending = true;
  for (let i = 1; i < values.length && ascending; i++) ascending = values[i - 1] <= values[i];
  // Sketch bins and reference samples arrive sorted; only other callers pay for the sort.
  const order = ascending ? Array.from({ length: values.length }, (_, i) => i) : Array.from({ length: values.length }, (_, i) => i).sort((x, y) => values[x] - values[y]);
  const sorted = new Float64Array(values.length);
  const sortedWeights = new Float64Array(values.length);
  let total = 0;
  order.forEach((index, k) => {
    sorted[k] = values[index];
    sortedWeights[k] = weights ? weights[index] : 1;
    total += sortedWeights[k];
  });
  return { values: sorted, weights: sortedWeights, total };
}

/**
 * Jensen-Shannon distance (the square root of the divergence) between two vectors of counts or probabilities, each
 * normalised to sum to 1, as scipy's `jensenshannon(p, q, base)`; natural logarithm unless a base is given.
 */
export function jensenShannon(p: ArrayLike<number>, q: ArrayLike<number>, base?: number): number {
  if (p.length !== q.length) throw new RangeError(`the distributions have ${p.length} and ${q.length} categories`);
  const sumP = sum(p);
  const sumQ = sum(q);
  let divergence = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sumP;
    const qi = q[i] / sumQ;
    const mi = (pi + qi) / 2;
    if (pi > 0) divergence += pi * Math.log(pi / mi);
    if (qi > 0) divergence += qi * Math.log(qi / mi);
  }
  divergence /= 2;
  if (base !== undefined) divergence /= Math.log(base);
  return Math.sqrt(Math.max(0, divergence));
}

/** The share an empty bin is given, on either side, so PSI stays finite (Evidently's convention). */
const EMPTY_BIN_SHARE = 0.0001;

/** Population stability index Σ (q - p)·ln(q / p) over the shares of matching bins, reference p and current q. */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  if (reference.length !== current.length) throw new RangeError(`${reference.length} reference bins for ${current.length} current bins`);
  const totalP = sum(reference);
  const totalQ = sum(current);
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const p = reference[i] / totalP || EMPTY_BIN_SHARE;
    const q = current[i] / totalQ || EMPTY_BIN_SHARE;
    psi += (q - p) * Math.log(q / p);
  }
  return psi;
}

function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
