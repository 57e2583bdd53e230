import { classificationMetrics } from '@mlops/ml';
import { newScoreHistogram, scoreBin } from '../windows/score-histogram';
import { calibrate, calibrated, estimatePerformance } from './cbpe';
import { seededUniform } from '../test-support/prediction-generator';

/** A calibrated model: the label is 1 with exactly the probability its score states. */
function calibratedSample(n: number, random: () => number, skew = 0): { scores: number[]; labels: number[] } {
  const scores = Array.from({ length: n }, () => Math.min(0.999, random() ** (1 + skew)));
  return { scores, labels: scores.map((s) => (random() < s ? 1 : 0)) };
}

describe('CBPE', () => {
  it('calibrates monotonically, pooling bins whose rates fall, and interpolates between bins', () => {
    const scores = Array.from({ length: 200 }, (_, i) => i / 200);
    const labels = scores.map((_, i) => (i < 50 ? 0 : i < 100 ? 1 : i < 150 ? 0 : 1));
    const c = calibrate(scores, labels);
    expect(c.rates).toEqual([0, 0.5, 1]);
    expect(calibrated(c, 0.5)).toBeCloseTo(0.5, 1);
    expect(calibrated(c, 0)).toBe(0);
    expect(calibrated(c, 0.99)).toBe(1);
  });

  it('estimates accuracy and AUC of a window whose labels it never sees, the realised values inside the band', () => {
    const random = seededUniform(11);
    const holdout = calibratedSample(5000, random);
    const calibration = calibrate(holdout.scores, holdout.labels);
    // The window's score distribution differs from the holdout's (covariate shift), the calibration does not.
    const window = calibratedSample(4000, random, 1.5);
    const histogram = newScoreHistogram();
    for (const s of window.scores) histogram[scoreBin(s)]++;
    const estimate = estimatePerformance(histogram, calibration);
    const realised = classificationMetrics(window.labels, window.scores);
    expect(estimate).not.toBeNull();
    expect(realised.accuracy).toBeGreaterThanOrEqual(estimate!.accuracy.lower);
    expect(realised.accuracy).toBeLessThanOrEqual(estimate!.accuracy.upper);
    expect(realised.auc).toBeGreaterThanOrEqual(estimate!.rocAuc.lower);
    expect(realised.auc).toBeLessThanOrEqual(estimate!.rocAuc.upper);
    expect(estimate!.accuracy.upper - estimate!.accuracy.lower).toBeLessThan(0.05);
  });
});
