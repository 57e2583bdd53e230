import { quantile } from './linear-quantile';

/** At most this many values of a numeric column are kept in its profile as the drift reference. */
export const REFERENCE_SAMPLE_SIZE = 1000;

/**
 * The values the monitor compares live windows with: every present value while there are at most 1000 of them
 * (so the Kolmogorov-Smirnov test Evidently uses on small references is exact), otherwise the 1000 mid-quantiles
 * (k + 0.5) / 1000, each standing for an equal share of the rows. Ascending either way.
 */
export function referenceSample(sorted: Float64Array): number[] {
  if (sorted.length <= REFERENCE_SAMPLE_SIZE) return Array.from(sorted);
  return Array.from({ length: REFERENCE_SAMPLE_SIZE }, (_, k) => quantile(sorted, (k + 0.5) / REFERENCE_SAMPLE_SIZE));
}

/** Distinct present values of an ascending column; the drift test chosen for a column depends on it. */
export function distinctCount(sorted: Float64Array): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}
