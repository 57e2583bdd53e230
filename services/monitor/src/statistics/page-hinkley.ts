/** Page-Hinkley state, plain numbers so it is checkpointed with the window it watches. */
export interface PageHinkleyState {
  count: number;
  mean: number;
  /** Cumulative deviation above the running mean (minus the tolerance) and its minimum so far. */
  upSum: number;
  upMin: number;
  /** The same, below the running mean. */
  downSum: number;
  downMin: number;
}

export interface PageHinkleyOptions {
  /** Changes of the mean smaller than this are tolerated. */
  delta: number;
  /** Alarm when the cumulative deviation rises this far above its minimum. */
  threshold: number;
  /** Observations before an alarm may be raised. */
  minObservations: number;
}

export interface PageHinkleyAlarm {
  direction: 'increase' | 'decrease';
  /** The cumulative deviation that crossed the threshold. */
  statistic: number;
  /** The running mean before the change was detected. */
  mean: number;
}

export function newPageHinkley(): PageHinkleyState {
  return { count: 0, mean: 0, upSum: 0, upMin: 0, downSum: 0, downMin: 0 };
}

/**
 * Two-sided Page-Hinkley test on a stream's mean (Page 1954; Hinkley 1971), one observation at a time. On an alarm
 * the state starts again from the next observation, so one shift raises one alarm.
 */
export function observePageHinkley(state: PageHinkleyState, value: number, options: PageHinkleyOptions): PageHinkleyAlarm | null {
  state.count++;
  state.mean += (value - state.mean) / state.count;
  state.upSum += value - state.mean - options.delta;
  state.upMin = Math.min(state.upMin, state.upSum);
  state.downSum += state.mean - value - options.delta;
  state.downMin = Math.min(state.downMin, state.downSum);
  if (state.count < options.minObservations) return null;
  const up = state.upSum - state.upMin;
  const down = state.downSum - state.downMin;
  if (up <= options.threshold && down <= options.threshold) return null;
  const alarm: PageHinkleyAlarm = up > options.threshold ? { direction: 'increase', statistic: up, mean: state.mean } : { direction: 'decrease', statistic: down, mean: state.mean };
  Object.assign(state, newPageHinkley());
  return alarm;
}
