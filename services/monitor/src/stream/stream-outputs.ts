import type { MonitoringPolicy } from '@mlops/contracts';
import type { DriftEvaluation } from '../drift/evaluate-drift';
import type { CbpeEstimate } from '../performance/cbpe';
import type { RolloutDecision } from '../rollouts/rollout-tracker';
import type { ModelWindow } from '../windows/model-window';

/** A window that closed, evaluated against its version's reference (null parts when there is none). */
export interface ClosedWindow {
  window: ModelWindow;
  closedAtMs: number;
  referenceRows: number | null;
  drift: DriftEvaluation | null;
  estimate: CbpeEstimate | null;
  baseline: Record<string, number> | null;
  policy: MonitoringPolicy;
}

/** Realised metrics of a closed window once its labels are in (all of them, or the horizon passed). */
export interface FinalizedPerformance {
  windowId: string;
  modelName: string;
  version: number;
  role: 'champion' | 'challenger' | 'shadow';
  fromMs: number;
  toMs: number;
  labelled: number;
  joinable: number;
  metrics: Record<string, number>;
  baseline: Record<string, number> | null;
  policy: MonitoringPolicy;
}

/** Page-Hinkley's early warning on the prediction mean of one version and role. */
export interface PredictionAlarm {
  modelName: string;
  version: number;
  role: 'champion' | 'challenger' | 'shadow';
  direction: 'increase' | 'decrease';
  statistic: number;
  threshold: number;
  /** The running mean before the change. */
  mean: number;
  atMs: number;
  observations: number;
  policy: MonitoringPolicy;
}

export interface RolloutOutcome extends RolloutDecision {
  modelName: string;
  fromMs: number;
  toMs: number;
}

export interface StreamOutputs {
  closed: ClosedWindow[];
  performance: FinalizedPerformance[];
  alarms: PredictionAlarm[];
  rollouts: RolloutOutcome[];
}

export function emptyOutputs(): StreamOutputs {
  return { closed: [], performance: [], alarms: [], rollouts: [] };
}
