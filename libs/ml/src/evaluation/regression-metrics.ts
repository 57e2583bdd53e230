import { checkLengths } from './classification-metrics';

export interface RegressionMetrics {
  rmse: number;
  mae: number;
  r2: number;
}

/** R² is 1 - SSE/SST; with constant labels (SST = 0) it is 1 for a perfect fit and 0 otherwise, as scikit-learn. */
export function regressionMetrics(labels: ArrayLike<number>, predictions: ArrayLike<number>): RegressionMetrics {
  const n = checkLengths(labels, predictions);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += labels[i];
  mean /= n;
  let sse = 0;
  let sae = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    const d = predictions[i] - labels[i];
    sse += d * d;
    sae += Math.abs(d);
    sst += (labels[i] - mean) ** 2;
  }
  const r2 = sst === 0 ? (sse === 0 ? 1 : 0) : 1 - sse / sst;
  return { rmse: Math.sqrt(sse / n), mae: sae / n, r2 };
}
