import type { ReferenceProfile } from './reference-profile.schema';

/** Rows of the holdout kept in the profile; enough for a calibration curve and for the confidence band's spread. */
export const HOLDOUT_CALIBRATION_ROWS = 5000;

/**
 * Adds the labelled reference set a binary classifier's performance is estimated from without labels (CBPE): the
 * model's P(1) and the true label on holdout rows it was not trained on. Larger holdouts are thinned by an even
 * stride, which keeps their order-free distribution.
 */
export function withHoldoutCalibration(profile: ReferenceProfile, labels: ArrayLike<number>, scores: ArrayLike<number>): ReferenceProfile {
  if (labels.length !== scores.length) throw new RangeError(`${labels.length} holdout labels for ${scores.length} scores`);
  const count = Math.min(labels.length, HOLDOUT_CALIBRATION_ROWS);
  const kept = Array.from({ length: count }, (_, k) => Math.floor((k * labels.length) / count));
  return {
    ...profile,
    holdout: { rowCount: labels.length, scores: kept.map((i) => scores[i]), labels: kept.map((i) => labels[i]) },
  };
}
