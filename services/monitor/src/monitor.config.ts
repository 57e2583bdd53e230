import { z } from 'zod';
import { Environment, loadConfig } from '@mlops/config';

export const MONITOR_CONFIG = Symbol('MONITOR_CONFIG');

export interface MonitorConfig {
  /** How often window state and the offsets it covers are written to Postgres together. */
  checkpointIntervalMs: number;
  /** How long a prediction waits for its label, and a label for its prediction. */
  labelHorizonMs: number;
  /** Predictions held for the label join at most; the oldest leave first. */
  maxJoinEntries: number;
  maxPendingLabels: number;
}

const positive = (unit: string) => z.coerce.number({ error: `expected a number of ${unit}` }).int(`expected a whole number of ${unit}`).positive(`expected at least 1 ${unit}`);

const schema = z.object({
  MLOPS_MONITOR_CHECKPOINT_INTERVAL_MS: positive('milliseconds').prefault('1000'),
  MLOPS_MONITOR_LABEL_HORIZON_SECONDS: positive('seconds').prefault(String(24 * 3600)),
  MLOPS_MONITOR_MAX_JOIN_ENTRIES: positive('entries').prefault('1000000'),
  MLOPS_MONITOR_MAX_PENDING_LABELS: positive('labels').prefault('100000'),
});

export function loadMonitorConfig(env?: Environment): MonitorConfig {
  const vars = loadConfig(schema, env);
  return {
    checkpointIntervalMs: vars.MLOPS_MONITOR_CHECKPOINT_INTERVAL_MS,
    labelHorizonMs: vars.MLOPS_MONITOR_LABEL_HORIZON_SECONDS * 1000,
    maxJoinEntries: vars.MLOPS_MONITOR_MAX_JOIN_ENTRIES,
    maxPendingLabels: vars.MLOPS_MONITOR_MAX_PENDING_LABELS,
  };
}
