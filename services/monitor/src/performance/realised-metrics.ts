import { classificationMetrics, regressionMetrics } from '@mlops/ml';

export type Task = 'classification' | 'regression';

/** Metric names as the trainer reports holdout metrics, so the two compare like for like. */
export function realisedMetrics(task: Task, labels: readonly number[], scores: readonly number[]): Record<string, number> {
  if (labels.length === 0) return {};
  if (task === 'regression') {
    const m = regressionMetrics(labels, scores);
    return { rmse: m.rmse, mae: m.mae, r2: m.r2 };
  }
  const m = classificationMetrics(labels, scores);
  const metrics: Record<string, number> = { accuracy: m.accuracy, f1: m.f1, log_loss: m.logLoss, precision: m.precision, recall: m.recall, brier: m.brier };
  // AUC is undefined while the labels hold a single class.
  if (Number.isFinite(m.auc)) metrics.auc = m.auc;
  return metrics;
}

const LOWER_IS_BETTER = new Set(['log_loss', 'rmse', 'mae', 'brier']);

export function defaultMetric(task: Task): string {
  return task === 'classification' ? 'auc' : 'rmse';
}

/** How much worse `value` is than `baseline` (positive = worse), whichever direction the metric improves in. */
export function degradation(metric: string, value: number, baseline: number): number {
  return LOWER_IS_BETTER.has(metric) ? value - baseline : baseline - value;
}

/**
 * Worse than the baseline by more than allowed. A value that is not a number (an expected AUC when the window's
 * calibrated scores hold one class) says nothing, and could not be published: the event's contract refuses NaN, and
 * the checkpoint carrying it would fail on every attempt.
 */
export function degradedBeyond(metric: string, value: number, baseline: number, maxDegradation: number): boolean {
  return Number.isFinite(value) && Number.isFinite(baseline) && degradation(metric, value, baseline) > maxDegradation;
}

/** A label as a number: booleans and "true"/"false" as 1/0, numeric strings as their value; null if it is none of these. */
export function numericLabel(label: number | string | boolean): number | null {
  if (typeof label === 'number') return Number.isFinite(label) ? label : null;
  if (typeof label === 'boolean') return label ? 1 : 0;
  if (label === 'true') return 1;
  if (label === 'false') return 0;
  const parsed = Number(label);
  return label.trim() !== '' && Number.isFinite(parsed) ? parsed : null;
}
