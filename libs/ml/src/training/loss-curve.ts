/** One point per boosting round / optimizer iteration; validationLoss only when a validation split was used. */
export interface LossPoint {
  iteration: number;
  trainLoss: number;
  validationLoss?: number;
}

/** Mean binary log loss of raw scores (log-odds), computed stably. */
export function meanLogLossOfScores(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const z = scores[i];
    // log(1 + e^z) - y z, written to avoid overflow for large |z|
    sum += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - labels[i] * z;
  }
  return sum / scores.length;
}

export function meanSquaredError(predictions: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) {
    const d = predictions[i] - labels[i];
    sum += d * d;
  }
  return sum / predictions.length;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
