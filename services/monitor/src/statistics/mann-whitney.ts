import type { TestResult } from './kolmogorov-smirnov';
import { normalSf } from './special-functions';

/**
 * Two-sided Mann-Whitney U test with the normal approximation, tie correction and continuity correction, as scipy's
 * `mannwhitneyu(x, y, method='asymptotic')`; the statistic is U of the first sample.
 */
export function mannWhitneyU(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('the Mann-Whitney U test needs two non-empty samples');
  const all = new Float64Array(n1 + n2);
  for (let i = 0; i < n1; i++) all[i] = x[i];
  for (let j = 0; j < n2; j++) all[n1 + j] = y[j];
  const order = Array.from({ length: all.length }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && all[order[j + 1]] === all[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (order[k] < n1) rankSumX += averageRank;
    const ties = j - i + 1;
    tieTerm += ties ** 3 - ties;
    i = j + 1;
  }
  const u1 = rankSumX - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sd === 0) return { statistic: u1, pValue: 1 };
  const u = Math.max(u1, n1 * n2 - u1);
  const z = (u - mean - 0.5) / sd;
  return { statistic: u1, pValue: Math.min(1, 2 * normalSf(z)) };
}
