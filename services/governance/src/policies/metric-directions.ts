import type { MetricDirection } from '@mlops/contracts';

/** The metrics the built-in trainers report, and which way is better for each. */
const KNOWN_DIRECTIONS: Record<string, MetricDirection> = {
  auc: 'higher-is-better',
  accuracy: 'higher-is-better',
  precision: 'higher-is-better',
  recall: 'higher-is-better',
  f1: 'higher-is-better',
  r2: 'higher-is-better',
  log_loss: 'lower-is-better',
  brier: 'lower-is-better',
  rmse: 'lower-is-better',
  mae: 'lower-is-better',
};

export function knownDirection(metric: string): MetricDirection | undefined {
  return KNOWN_DIRECTIONS[metric];
}

/** The direction a rule states, or the known one for the metric; undefined when neither says. */
export function directionOf(rule: { metric: string; direction?: MetricDirection }): MetricDirection | undefined {
  return rule.direction ?? knownDirection(rule.metric);
}
