export interface ClassificationMetrics {
  auc: number;
  logLoss: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  brier: number;
}

/** Probabilities are clipped to [eps, 1 - eps] for log loss, as scikit-learn does. */
const LOG_LOSS_EPS = 1e-15;

/**
 * Metrics of P(class 1) against 0/1 labels; the label is 1 when p > threshold. Precision, recall and F1
 * are 0 when undefined (no predicted or no actual positives), as scikit-learn's zero_division=0.
 */
export function classificationMetrics(labels: ArrayLike<number>, probabilities: ArrayLike<number>, threshold = 0.5): ClassificationMetrics {
  const n = checkLengths(labels, probabilities);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const p = probabilities[i];
    const predicted = p > threshold;
    if (predicted && y === 1) tp++;
    else if (predicted) fp++;
    else if (y === 1) fn++;
    else tn++;
    const clipped = Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    logLoss -= y === 1 ? Math.log(clipped) : Math.log(1 - clipped);
    brier += (p - y) ** 2;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return {
    auc: rocAuc(labels, probabilities),
    logLoss: logLoss / n,
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    brier: brier / n,
  };
}

/** Area under the ROC curve via the rank-sum statistic, ties given their average rank; NaN with a single class. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = checkLengths(labels, scores);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`${a.length} labels for ${b.length} predictions`);
  if (a.length === 0) throw new RangeError('no rows to evaluate');
  return a.length;
}
