/**
 * Mixture sequential probability ratio test (mSPRT; Robbins 1970, Johari et al. 2017, "Always valid inference") for a
 * difference of two means, here a challenger's and a champion's accuracy-type metric. Its p-value stays valid
 * however often it is looked at, so a rollout verdict can come as soon as the evidence is there without the false
 * promotions that re-running a fixed-horizon test after every window would add.
 */
export interface SequentialTestState {
  /** The always-valid p-value so far: the running minimum of 1 / Λ_n. */
  pValue: number;
}

export interface SequentialObservation {
  /** Challenger minus champion, as estimated from everything seen so far. */
  difference: number;
  /** Variance of that estimate (for proportions: p1(1-p1)/n1 + p2(1-p2)/n2). */
  variance: number;
}

/** Variance of the mixing normal prior on the true difference: the size of effect the test is tuned to find. */
export const DEFAULT_MIXING_VARIANCE = 0.01 ** 2;

export function newSequentialTest(): SequentialTestState {
  return { pValue: 1 };
}

/** Λ_n = √(V / (V + τ²)) · exp(τ² Δ² / (2V(V + τ²))) with V the estimate's variance and τ² the mixing variance. */
export function mixtureLikelihoodRatio(observation: SequentialObservation, mixingVariance = DEFAULT_MIXING_VARIANCE): number {
  const { difference, variance } = observation;
  if (variance <= 0) return 1;
  const total = variance + mixingVariance;
  return Math.sqrt(variance / total) * Math.exp((mixingVariance * difference * difference) / (2 * variance * total));
}

export function observeSequentialTest(state: SequentialTestState, observation: SequentialObservation, mixingVariance = DEFAULT_MIXING_VARIANCE): number {
  state.pValue = Math.min(state.pValue, 1 / mixtureLikelihoodRatio(observation, mixingVariance));
  return state.pValue;
}

export function proportionDifference(successes1: number, n1: number, successes2: number, n2: number): SequentialObservation {
  const p1 = successes1 / n1;
  const p2 = successes2 / n2;
  return { difference: p2 - p1, variance: (p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2 };
}
