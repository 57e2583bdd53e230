import { MonitoringPolicy } from '@mlops/contracts';
import { RetrainingFacts, ruleOnRetraining } from './retraining-rules';

const policy = MonitoringPolicy.parse({ retraining: { enabled: true, cooldownSeconds: 3600, maxPerDay: 2 } }).retraining;
const now = new Date('2026-03-01T12:00:00Z');
const facts: RetrainingFacts = { kind: 'drift', now, hasRecipe: true, lastRequestedAt: null, requestedLastDay: 0, runsInProgress: 0 };

describe('retraining rules', () => {
  it('requests when every rule allows it', () => {
    expect(ruleOnRetraining(policy, facts).decision).toBe('requested');
  });

  it.each([
    [{ enabled: false }, {}, /not enabled/],
    [{ on: ['performance'] }, {}, /not on drift/],
    [{}, { hasRecipe: false }, /no training request/],
    [{}, { runsInProgress: 1 }, /have not finished/],
    [{}, { lastRequestedAt: new Date(now.getTime() - 600_000) }, /in cooldown/],
    [{}, { requestedLastDay: 2, lastRequestedAt: new Date(now.getTime() - 7_200_000) }, /daily limit reached: 2 of 2/],
  ])('holds back (policy %j, facts %j) and says why', (override, factOverride, reason) => {
    const ruling = ruleOnRetraining({ ...policy, ...(override as object) }, { ...facts, ...factOverride });
    expect(ruling.decision).toBe('suppressed');
    expect(ruling.reason).toMatch(reason);
  });
});
