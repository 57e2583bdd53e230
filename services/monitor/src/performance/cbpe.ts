import { binScore } from '../windows/score-histogram';

export interface Estimate {
  value: number;
  lower: number;
  upper: number;
}

export interface CbpeEstimate {
  accuracy: Estimate;
  rocAuc: Estimate;
}

/**
 * A map from a raw score to P(label = 1), fitted on the labelled holdout: equal-frequency bins (so each rests on as
 * many rows), made monotone by pooling adjacent violators, and interpolated linearly between the bins' mean scores.
 * Coarser than plain isotonic regression on purpose: its small steps at the extremes reach 0 or 1 and make the
 * estimate overconfident.
 */
export interface Calibration {
  /** Ascending mean score of each bin and its share of positives. */
  scores: number[];
  rates: number[];
}

const CALIBRATION_BINS = 20;

export function calibrate(scores: readonly number[], labels: readonly number[]): Calibration {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const bins = Math.max(1, Math.min(CALIBRATION_BINS, Math.floor(order.length / 50)));
  const blocks: { score: number; positives: number; count: number }[] = [];
  for (let b = 0; b < bins; b++) {
    const members = order.slice(Math.floor((b * order.length) / bins), Math.floor(((b + 1) * order.length) / bins));
    if (members.length === 0) continue;
    blocks.push({
      score: members.reduce((sum, i) => sum + scores[i], 0),
      positives: members.reduce((sum, i) => sum + labels[i], 0),
      count: members.length,
    });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const previous = blocks[blocks.length - 2];
      if (previous.positives / previous.count <= last.positives / last.count) break;
      blocks.splice(blocks.length - 2, 2, {
        score: previous.score + last.score,
        positives: previous.positives + last.positives,
        count: previous.count + last.count,
      });
    }
  }
  return { scores: blocks.map((b) => b.score / b.count), rates: blocks.map((b) => b.positives / b.count) };
}

export function calibrated(calibration: Calibration, score: number): number {
  const { scores, rates } = calibration;
  if (score <= scores[0]) return rates[0];
  if (score >= scores[scores.length - 1]) return rates[rates.length - 1];
  let i = 1;
  while (scores[i] < score) i++;
  const t = (score - scores[i - 1]) / (scores[i] - scores[i - 1]);
  return rates[i - 1] + t * (rates[i] - rates[i - 1]);
}

const Z_95 = 1.959963984540054;

/**
 * Confidence-based performance estimation (NannyML's CBPE) for a binary classifier over a window's score histogram:
 * each prediction counts as a positive with its calibrated probability, which gives the expected accuracy at the 0.5
 * threshold and the expected ROC curve. Bands: the binomial spread of the expected correct count, and Hanley and
 * McNeil's standard error at the expected class sizes.
 */
export function estimatePerformance(histogram: readonly number[], calibration: Calibration): CbpeEstimate | null {
  const rows = histogram.reduce((a, b) => a + b, 0);
  if (rows === 0) return null;
  let correct = 0;
  let variance = 0;
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let bin = 0; bin < histogram.length; bin++) {
    const count = histogram[bin];
    const score = binScore(bin);
    const p = calibrated(calibration, score);
    const q = score > 0.5 ? p : 1 - p;
    correct += count * q;
    variance += count * q * (1 - q);
    positives.push(count * p);
    negatives.push(count * (1 - p));
  }
  const accuracy = correct / rows;
  const accuracySe = Math.sqrt(variance) / rows;
  const auc = expectedAuc(positives, negatives);
  return {
    accuracy: band(accuracy, accuracySe),
    rocAuc: band(auc.value, auc.se),
  };
}

function band(value: number, se: number): Estimate {
  return { value, lower: Math.max(0, value - Z_95 * se), upper: Math.min(1, value + Z_95 * se) };
}

function expectedAuc(positives: number[], negatives: number[]): { value: number; se: number } {
  const totalPositive = positives.reduce((a, b) => a + b, 0);
  const totalNegative = negatives.reduce((a, b) => a + b, 0);
  if (totalPositive === 0 || totalNegative === 0) return { value: NaN, se: NaN };
  // Bins from the highest score down: a negative is outranked by every positive above it and half of its own bin's.
  let positivesAbove = 0;
  let area = 0;
  for (let bin = positives.length - 1; bin >= 0; bin--) {
    area += negatives[bin] * (positivesAbove + positives[bin] / 2);
    positivesAbove += positives[bin];
  }
  const a = area / (totalPositive * totalNegative);
  const q1 = a / (2 - a);
  const q2 = (2 * a * a) / (1 + a);
  const se = Math.sqrt((a * (1 - a) + (totalPositive - 1) * (q1 - a * a) + (totalNegative - 1) * (q2 - a * a)) / (totalPositive * totalNegative));
  return { value: a, se };
}
