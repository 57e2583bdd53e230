import type { MonitoringPolicy, RolloutEvidence } from '@mlops/contracts';
import { mannWhitneyU } from '../statistics/mann-whitney';
import { twoProportionZTest } from '../statistics/proportions';
import { newSequentialTest, observeSequentialTest, proportionDifference, SequentialTestState } from '../statistics/sequential-test';
import { newReservoir, offer, Reservoir } from '../windows/reservoir';

/** What one side of a rollout served since the pair of versions was first seen together. */
interface Side {
  version: number;
  count: number;
  latency: Reservoir;
  scores: Reservoir;
  labelled: number;
  correct: number;
}

export interface RolloutTrackerState {
  modelName: string;
  champion: Side | null;
  challenger: Side | null;
  sequential: SequentialTestState;
  /**
   * The promote or rollback already issued for this pair. It is issued once: governance turns every verdict into a
   * decision (or an approval request), so repeating it each window until the deployment changes would repeat those.
   */
  concluded?: 'promote' | 'rollback' | null;
}

export interface RolloutDecision {
  championVersion: number;
  challengerVersion: number;
  verdict: 'promote' | 'rollback' | 'continue';
  reason: string;
  evidence: RolloutEvidence[];
  championMetrics: Record<string, number>;
  challengerMetrics: Record<string, number>;
}

const RESERVOIR = 2000;

function newSide(version: number, seed: number): Side {
  return { version, count: 0, latency: newReservoir(RESERVOIR, seed), scores: newReservoir(RESERVOIR, seed + 1), labelled: 0, correct: 0 };
}

export function newRolloutTracker(modelName: string): RolloutTrackerState {
  return { modelName, champion: null, challenger: null, sequential: newSequentialTest(), concluded: null };
}

/** A new version on either side starts the comparison again: evidence about another pair says nothing about this one. */
function sideFor(state: RolloutTrackerState, role: 'champion' | 'challenger', version: number): Side {
  const current = state[role];
  if (current && current.version === version) return current;
  state[role] = newSide(version, version * 7919 + (role === 'champion' ? 1 : 2));
  state.sequential = newSequentialTest();
  state.concluded = null;
  const other = role === 'champion' ? 'challenger' : 'champion';
  if (state[other]) state[other] = newSide((state[other] as Side).version, 17);
  return state[role] as Side;
}

export function observeServed(state: RolloutTrackerState, role: 'champion' | 'challenger' | 'shadow', version: number, latencyMs: number, score: number | null): void {
  const side = sideFor(state, role === 'champion' ? 'champion' : 'challenger', version);
  side.count++;
  offer(side.latency, latencyMs);
  if (score !== null) offer(side.scores, score);
}

export function observeLabelled(state: RolloutTrackerState, role: 'champion' | 'challenger' | 'shadow', version: number, correct: boolean): void {
  const side = role === 'champion' ? state.champion : state.challenger;
  if (!side || side.version !== version) return;
  side.labelled++;
  if (correct) side.correct++;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Champion and challenger over the same span. Rollback when the challenger's latency is significantly (Mann-Whitney)
 * and materially worse; promote or rollback when the always-valid mSPRT on accuracy says the difference is real;
 * otherwise keep collecting. The fixed-horizon two-proportion test and the score comparison are reported as evidence.
 * Null when there is no pair, or when this pair already has its promote or rollback.
 */
export function decideRollout(state: RolloutTrackerState, policy: MonitoringPolicy['rollout'], minLabels: number): RolloutDecision | null {
  const decision = compare(state, policy, minLabels);
  if (decision && decision.verdict !== 'continue') state.concluded = decision.verdict;
  return decision;
}

function compare(state: RolloutTrackerState, policy: MonitoringPolicy['rollout'], minLabels: number): RolloutDecision | null {
  const { champion, challenger } = state;
  if (!champion || !challenger || state.concluded) return null;
  const evidence: RolloutEvidence[] = [];
  const samples = { champion: champion.count, challenger: challenger.count };
  const championMetrics: Record<string, number> = { predictions: champion.count };
  const challengerMetrics: Record<string, number> = { predictions: challenger.count };
  const base = { championVersion: champion.version, challengerVersion: challenger.version, evidence, championMetrics, challengerMetrics };

  let latencyWorse = false;
  if (champion.latency.values.length > 1 && challenger.latency.values.length > 1) {
    const test = mannWhitneyU(champion.latency.values, challenger.latency.values);
    const [a, b] = [median(champion.latency.values), median(challenger.latency.values)];
    championMetrics.latency_p50_ms = a;
    challengerMetrics.latency_p50_ms = b;
    evidence.push({ metric: 'latency_ms', test: 'mann_whitney_u', champion: a, challenger: b, statistic: test.statistic, pValue: test.pValue, samples });
    latencyWorse = test.pValue < policy.alpha && b > a * (1 + policy.maxLatencyIncrease);
  }
  if (champion.scores.values.length > 1 && challenger.scores.values.length > 1) {
    const test = mannWhitneyU(champion.scores.values, challenger.scores.values);
    evidence.push({
      metric: 'score', test: 'mann_whitney_u', champion: median(champion.scores.values), challenger: median(challenger.scores.values),
      statistic: test.statistic, pValue: test.pValue, samples,
    });
  }
  let accuracyVerdict: 'promote' | 'rollback' | null = null;
  if (champion.labelled > 0 && challenger.labelled > 0) {
    const labelledSamples = { champion: champion.labelled, challenger: challenger.labelled };
    const [a, b] = [champion.correct / champion.labelled, challenger.correct / challenger.labelled];
    championMetrics.accuracy = a;
    challengerMetrics.accuracy = b;
    const fixed = twoProportionZTest(challenger.correct, challenger.labelled, champion.correct, champion.labelled);
    evidence.push({ metric: 'accuracy', test: 'two_proportion', champion: a, challenger: b, statistic: fixed.statistic, pValue: fixed.pValue, samples: labelledSamples });
    const p = observeSequentialTest(state.sequential, proportionDifference(champion.correct, champion.labelled, challenger.correct, challenger.labelled));
    evidence.push({ metric: 'accuracy', test: 'msprt', champion: a, challenger: b, statistic: b - a, pValue: p, samples: labelledSamples });
    if (p < policy.alpha && Math.min(champion.labelled, challenger.labelled) >= minLabels) accuracyVerdict = b > a ? 'promote' : 'rollback';
  }
  champion.latency = newReservoir(RESERVOIR, champion.latency.randomState);
  challenger.latency = newReservoir(RESERVOIR, challenger.latency.randomState);

  if (Math.min(champion.count, challenger.count) < policy.minSamples) {
    return { ...base, verdict: 'continue', reason: `collecting: ${champion.count} champion and ${challenger.count} challenger predictions, ${policy.minSamples} needed each` };
  }
  if (latencyWorse) {
    return { ...base, verdict: 'rollback', reason: `challenger latency p50 ${challengerMetrics.latency_p50_ms} ms is more than ${policy.maxLatencyIncrease * 100}% above the champion's ${championMetrics.latency_p50_ms} ms (Mann-Whitney p < ${policy.alpha})` };
  }
  if (accuracyVerdict) {
    const direction = accuracyVerdict === 'promote' ? 'better' : 'worse';
    return { ...base, verdict: accuracyVerdict, reason: `challenger accuracy ${challengerMetrics.accuracy.toFixed(4)} is ${direction} than the champion's ${championMetrics.accuracy.toFixed(4)} (mSPRT always-valid p < ${policy.alpha})` };
  }
  return { ...base, verdict: 'continue', reason: 'no significant difference in accuracy or latency yet' };
}
