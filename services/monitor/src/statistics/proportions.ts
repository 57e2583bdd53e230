import type { TestResult } from './kolmogorov-smirnov';
import { normalSf } from './special-functions';

/**
 * Pooled two-proportion z-test, two-sided: z = (p1 - p2) / √(p(1-p)(1/n1 + 1/n2)). It is Evidently's Z-test for
 * binary features (the share of one value in reference and current) and the rollout test for accuracy-type metrics.
 * With both proportions 0 or both 1 there is no evidence of a difference: z = 0, p = 1.
 */
export function twoProportionZTest(successes1: number, n1: number, successes2: number, n2: number): TestResult {
  if (n1 <= 0 || n2 <= 0) throw new RangeError('both groups need at least one observation');
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  const pooled = (successes1 + successes2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  if (variance === 0) return { statistic: 0, pValue: 1 };
  const z = (p1 - p2) / Math.sqrt(variance);
  return { statistic: z, pValue: Math.min(1, 2 * normalSf(Math.abs(z))) };
}
