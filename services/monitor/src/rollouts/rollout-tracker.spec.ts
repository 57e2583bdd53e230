import { MonitoringPolicy } from '@mlops/contracts';
import { twoProportionZTest } from '../statistics/proportions';
import { seededUniform } from '../test-support/prediction-generator';
import { decideRollout, newRolloutTracker, observeLabelled, observeServed, RolloutDecision, RolloutTrackerState } from './rollout-tracker';

const POLICY = MonitoringPolicy.parse({}).rollout;
const MIN_LABELS = 100;

interface Arm {
  accuracy: number;
  /** Median latency in ms; each prediction takes it ± 20%. */
  latencyMs: number;
}

interface Simulation {
  champion: Arm;
  challenger: Arm;
  /** Predictions per side between two looks (one champion window). */
  perWindow: number;
  windows: number;
  seed: number;
  challengerRole?: 'challenger' | 'shadow';
  /** Off by default: the score comparison is evidence only, and its rank test dominates the cost of long runs. */
  scores?: boolean;
}

/** Champion and challenger serving and labelled side by side; the verdict after every champion window. */
function simulate(options: Simulation, state: RolloutTrackerState = newRolloutTracker('churn'), onLook?: (counts: { a: number; n: number; b: number; m: number }) => void): (RolloutDecision | null)[] {
  const random = seededUniform(options.seed);
  const counts = { a: 0, n: 0, b: 0, m: 0 };
  const serve = (role: 'champion' | 'challenger' | 'shadow', version: number, arm: Arm): boolean => {
    const correct = random() < arm.accuracy;
    const score = options.scores ? random() : null;
    observeServed(state, role, version, arm.latencyMs * (0.8 + 0.4 * random()), score);
    observeLabelled(state, role, version, correct);
    return correct;
  };
  // The comparison spans the time both were served: whichever side is seen alone first starts again with the other.
  if (!state.challenger) observeServed(state, options.challengerRole ?? 'challenger', 2, options.challenger.latencyMs, null);
  const verdicts: (RolloutDecision | null)[] = [];
  for (let w = 0; w < options.windows; w++) {
    for (let i = 0; i < options.perWindow; i++) {
      counts.a += serve('champion', 1, options.champion) ? 1 : 0;
      counts.b += serve(options.challengerRole ?? 'challenger', 2, options.challenger) ? 1 : 0;
    }
    counts.n += options.perWindow;
    counts.m += options.perWindow;
    onLook?.(counts);
    verdicts.push(decideRollout(state, POLICY, MIN_LABELS));
  }
  return verdicts;
}

const firstFinal = (verdicts: (RolloutDecision | null)[]) => verdicts.findIndex((v) => v !== null && v.verdict !== 'continue');

describe('rollout verdicts', () => {
  it('promotes a clearly better challenger once the evidence is in, with the evidence behind it', () => {
    const verdicts = simulate({ champion: { accuracy: 0.7, latencyMs: 10 }, challenger: { accuracy: 0.85, latencyMs: 10 }, perWindow: 250, windows: 20, seed: 1, scores: true });
    const at = firstFinal(verdicts);
    const verdict = verdicts[at] as RolloutDecision;
    expect(verdict.verdict).toBe('promote');
    // Not before both sides have the minimum sample (500 predictions = 2 windows of 250).
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThan(8);
    expect(verdict.reason).toMatch(/challenger accuracy 0\.8\d+ is better than the champion's 0\.7\d+ \(mSPRT/);
    expect(verdict.evidence.map((e) => `${e.metric}:${e.test}`)).toEqual(['latency_ms:mann_whitney_u', 'score:mann_whitney_u', 'accuracy:two_proportion', 'accuracy:msprt']);
    const msprt = verdict.evidence.find((e) => e.test === 'msprt');
    expect(msprt?.pValue).toBeLessThan(POLICY.alpha);
    expect(msprt?.samples).toEqual({ champion: (at + 1) * 250, challenger: (at + 1) * 250 });
    expect(verdict.challengerMetrics.accuracy).toBeGreaterThan(verdict.championMetrics.accuracy);
    expect(verdict.championMetrics.predictions).toBe((at + 1) * 250);
    expect(verdicts.slice(0, at).every((v) => v?.verdict === 'continue')).toBe(true);
  });

  it('rolls back a clearly worse challenger, shadow traffic included', () => {
    const verdicts = simulate({ champion: { accuracy: 0.85, latencyMs: 10 }, challenger: { accuracy: 0.7, latencyMs: 10 }, perWindow: 250, windows: 20, seed: 2, challengerRole: 'shadow' });
    const verdict = verdicts[firstFinal(verdicts)] as RolloutDecision;
    expect(verdict.verdict).toBe('rollback');
    expect(verdict.reason).toMatch(/is worse than the champion's/);
  });

  it('rolls back a challenger whose latency is significantly and materially worse, whatever its accuracy', () => {
    const verdicts = simulate({ champion: { accuracy: 0.8, latencyMs: 10 }, challenger: { accuracy: 0.8, latencyMs: 15 }, perWindow: 250, windows: 4, seed: 3 });
    // Window 1 has 250 predictions a side: below the minimum sample, whatever the evidence says.
    expect(verdicts[0]).toMatchObject({ verdict: 'continue', reason: 'collecting: 250 champion and 250 challenger predictions, 500 needed each' });
    expect(verdicts[0]?.evidence.find((e) => e.metric === 'latency_ms')?.pValue).toBeLessThan(1e-6);
    expect(verdicts[1]?.verdict).toBe('rollback');
    expect(verdicts[1]?.reason).toMatch(/^challenger latency p50 1[45]\.\d+ ms is more than 20% above the champion's (9|10)\.\d+ ms/);
  });

  it('keeps a significant but immaterial latency difference (within maxLatencyIncrease) from rolling back', () => {
    const verdicts = simulate({ champion: { accuracy: 0.8, latencyMs: 10 }, challenger: { accuracy: 0.8, latencyMs: 11 }, perWindow: 1000, windows: 3, seed: 4 });
    expect(verdicts[2]?.evidence.find((e) => e.metric === 'latency_ms')?.pValue).toBeLessThan(POLICY.alpha);
    expect(verdicts.map((v) => v?.verdict)).toEqual(['continue', 'continue', 'continue']);
  });

  it('keeps collecting while two equal versions are compared', () => {
    const verdicts = simulate({ champion: { accuracy: 0.8, latencyMs: 10 }, challenger: { accuracy: 0.8, latencyMs: 10 }, perWindow: 500, windows: 20, seed: 5 });
    expect(verdicts.map((v) => v?.verdict)).toEqual(Array(20).fill('continue'));
    expect(verdicts[19]?.reason).toBe('no significant difference in accuracy or latency yet');
  });

  it('gives no verdict on a small sample, however large the difference', () => {
    const verdicts = simulate({ champion: { accuracy: 0.5, latencyMs: 10 }, challenger: { accuracy: 0.99, latencyMs: 10 }, perWindow: 60, windows: 8, seed: 6 });
    // 480 predictions a side after 8 windows: under the 500 needed.
    expect(verdicts.map((v) => v?.verdict)).toEqual(Array(8).fill('continue'));
    expect(verdicts[7]?.reason).toMatch(/^collecting: 480 champion and 480 challenger/);
  });

  it('waits for the minimum of labelled predictions even when predictions are plentiful', () => {
    const state = newRolloutTracker('churn');
    const random = seededUniform(7);
    for (let i = 0; i < 2000; i++) {
      observeServed(state, 'champion', 1, 10, null);
      observeServed(state, 'challenger', 2, 10, null);
      // 1 prediction in 25 is labelled: 80 a side, under the 100 needed.
      if (i % 25 === 0) {
        observeLabelled(state, 'champion', 1, random() < 0.05);
        observeLabelled(state, 'challenger', 2, random() < 0.999);
      }
    }
    const verdict = decideRollout(state, POLICY, MIN_LABELS) as RolloutDecision;
    expect(verdict.evidence.find((e) => e.test === 'msprt')?.pValue).toBeLessThan(POLICY.alpha);
    expect(verdict.verdict).toBe('continue');
  });

  it('compares the span both sides served: what the champion served alone before is not counted', () => {
    const state = newRolloutTracker('churn');
    for (let i = 0; i < 1000; i++) observeServed(state, 'champion', 1, 10, null);
    observeServed(state, 'challenger', 2, 10, null);
    expect([state.champion?.count, state.challenger?.count]).toEqual([0, 1]);
  });

  it('issues a promote or rollback once per pair, and starts again when a version changes', () => {
    const state = newRolloutTracker('churn');
    const verdicts = simulate({ champion: { accuracy: 0.7, latencyMs: 10 }, challenger: { accuracy: 0.9, latencyMs: 10 }, perWindow: 500, windows: 6, seed: 8 }, state);
    expect(verdicts.filter((v) => v?.verdict === 'promote')).toHaveLength(1);
    expect(verdicts.slice(firstFinal(verdicts) + 1)).toEqual(Array(6 - firstFinal(verdicts) - 1).fill(null));
    // A third version as challenger: evidence about version 2 says nothing about it.
    observeServed(state, 'challenger', 3, 10, null);
    observeServed(state, 'champion', 1, 10, null);
    expect(state.challenger?.count).toBe(1);
    expect(state.champion?.count).toBe(1);
    expect(decideRollout(state, POLICY, MIN_LABELS)).toMatchObject({ challengerVersion: 3, verdict: 'continue' });
  });

  it('does not inflate false promotions on A/A streams looked at after every window (rates printed)', () => {
    const streams = 200;
    const windows = 30;
    let sequentialPromotions = 0;
    let sequentialRollbacks = 0;
    let naivePromotions = 0;
    for (let s = 0; s < streams; s++) {
      let naive = false;
      const verdicts = simulate({ champion: { accuracy: 0.8, latencyMs: 10 }, challenger: { accuracy: 0.8, latencyMs: 10 }, perWindow: 250, windows, seed: 1000 + s }, undefined, ({ a, n, b, m }) => {
        // The fixed-horizon test re-run at every look, as a naive canary judge would.
        const fixed = twoProportionZTest(b, m, a, n);
        if (n >= POLICY.minSamples && fixed.pValue < POLICY.alpha && b / m > a / n) naive = true;
      });
      if (verdicts.some((v) => v?.verdict === 'promote')) sequentialPromotions++;
      if (verdicts.some((v) => v?.verdict === 'rollback')) sequentialRollbacks++;
      if (naive) naivePromotions++;
    }
    const rate = (count: number) => `${((count / streams) * 100).toFixed(1)}%`;
    process.stdout.write(
      `A/A: ${streams} streams of ${windows} looks (250 labelled predictions a side per look, accuracy 0.8 both): ` +
        `false promotions ${rate(sequentialPromotions)} with the mSPRT, ${rate(naivePromotions)} with the two-proportion test re-run at every look; ` +
        `false rollbacks ${rate(sequentialRollbacks)} (alpha ${POLICY.alpha}, one-sided share ${POLICY.alpha / 2})\n`,
    );
    // A promotion is one side of a two-sided test at alpha: at most alpha / 2 in expectation. Three binomial standard
    // errors over 200 streams (about 3.3 points) allow sampling noise, not a test whose error grows with the looks.
    expect(sequentialPromotions / streams).toBeLessThan(POLICY.alpha / 2 + 0.033);
    expect(sequentialRollbacks / streams).toBeLessThan(POLICY.alpha / 2 + 0.033);
    // The naive judge is what the sequential test guards against: it must do visibly worse on the same streams.
    expect(naivePromotions).toBeGreaterThan(2 * sequentialPromotions);
  });
});
