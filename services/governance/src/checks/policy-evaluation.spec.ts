import { PolicyDefinition, type ModelSignature } from '@mlops/contracts';
import type { RunFacts, VersionFacts } from '../facts/model-facts';
import { defaultPolicy } from '../policies/effective-policy';
import { CheckContext, evaluatePolicy } from './policy-evaluation';

const signature = (cols: number, extra: Partial<ModelSignature> = {}): ModelSignature => ({
  inputs: [{ name: 'features', elementType: 'float32', shape: [null, cols] }],
  outputs: [
    { name: 'label', elementType: 'int64', shape: [null] },
    { name: 'probabilities', elementType: 'float32', shape: [null, 2] },
  ],
  ...extra,
});

const version: VersionFacts = {
  modelName: 'churn',
  version: 4,
  riskTier: 'limited',
  owner: 'team-growth',
  registeredBy: null,
  signature: signature(2),
  metrics: { auc: 0.81, rmse: 0 },
  runId: '00000000-0000-4000-8000-000000000001',
  datasetSha256: 'a'.repeat(64),
  registeredAt: '2026-01-01T00:00:00.000Z',
};

const run: RunFacts = {
  runId: version.runId as string,
  requestId: '00000000-0000-4000-8000-000000000002',
  metrics: version.metrics,
  championMetrics: { auc: 0.83 },
  parentVersion: 3,
  groupMetrics: [
    {
      attribute: 'usage:region',
      groups: [
        { value: '0', rows: 120, metrics: { auc: 0.84 } },
        { value: '1', rows: 90, metrics: { auc: 0.76 } },
        { value: '2', rows: 5, metrics: { auc: 0.2 } },
      ],
    },
  ],
};

function context(policy: unknown, overrides: Partial<CheckContext> = {}): CheckContext {
  return {
    policy: { definition: PolicyDefinition.parse(policy), version: 2 },
    version,
    run,
    champion: { version: 3, signature: signature(2) },
    card: { complete: true, missing: [] },
    ...overrides,
  };
}

const byName = (ctx: CheckContext) => Object.fromEntries(evaluatePolicy(ctx).map((c) => [c.name, c]));

describe('evaluatePolicy', () => {
  it('holds metrics to their floors, naming the value and the bound', () => {
    const checks = byName(context({ model: 'churn', riskTier: 'limited', checks: { metricFloors: [{ metric: 'auc', min: 0.8 }, { metric: 'f1', min: 0.5 }] } }));
    expect(checks['metric-floor:auc']).toMatchObject({ passed: true, detail: 'auc 0.81 is >= 0.8', threshold: { min: 0.8, max: null }, evidence: { value: 0.81 } });
    expect(checks['metric-floor:f1']).toMatchObject({ passed: false, detail: 'the version reports no f1' });
  });

  it('refuses a regression against the champion on the same holdout beyond the tolerance, either direction', () => {
    const strict = byName(context({ model: 'churn', riskTier: 'limited', checks: { noRegression: [{ metric: 'auc', tolerance: 0.01 }] } }));
    expect(strict['no-regression:auc']).toMatchObject({
      passed: false,
      evidence: { candidate: 0.81, champion: 0.83, championVersion: 3, improvement: -0.02 },
      threshold: { direction: 'higher-is-better', tolerance: 0.01 },
    });
    const lenient = byName(context({ model: 'churn', riskTier: 'limited', checks: { noRegression: [{ metric: 'auc', tolerance: 0.05 }] } }));
    expect(lenient['no-regression:auc'].passed).toBe(true);
    const lowerIsBetter = context({ model: 'churn', riskTier: 'limited', checks: { noRegression: [{ metric: 'rmse' }] } }, { run: { ...run, championMetrics: { rmse: 0.1 } } });
    expect(byName(lowerIsBetter)['no-regression:rmse'].passed).toBe(true);
  });

  it('passes no-regression when nothing served at training time, fails it when the champion could not be scored', () => {
    const policy = { model: 'churn', riskTier: 'limited', checks: { noRegression: [{ metric: 'auc' }] } };
    expect(byName(context(policy, { run: { ...run, parentVersion: null, championMetrics: null } }))['no-regression:auc'].passed).toBe(true);
    expect(byName(context(policy, { run: { ...run, championMetrics: null } }))['no-regression:auc']).toMatchObject({ passed: false });
    const uploaded = { ...version, runId: null };
    expect(byName(context(policy, { version: uploaded, run: null }))['no-regression:auc'].detail).toMatch(/uploaded version: nothing scored champion v3/);
    expect(byName(context(policy, { version: uploaded, run: null, champion: null }))['no-regression:auc'].passed).toBe(true);
  });

  it('checks the signature against the serving champion: new inputs, other types and fixed sizes break callers', () => {
    const policy = { model: 'churn', riskTier: 'limited' };
    expect(byName(context(policy))['signature-compatible'].passed).toBe(true);
    const wider = byName(context(policy, { version: { ...version, signature: signature(3) } }))['signature-compatible'];
    expect(wider).toMatchObject({ passed: false, detail: 'incompatible with champion v3: input features dimension 1 is 3, was 2' });
    const renamed = signature(2, { inputs: [{ name: 'x', elementType: 'float64', shape: [null, 2] }], outputs: [{ name: 'label', elementType: 'int64', shape: [null] }] });
    const problems = (byName(context(policy, { version: { ...version, signature: renamed } }))['signature-compatible'].evidence as { problems: string[] }).problems;
    expect(problems).toEqual(['input features is missing', 'input x is new: the champion\'s callers do not send it', 'output probabilities is missing']);
    expect(byName(context(policy, { champion: null }))['signature-compatible'].passed).toBe(true);
    expect(byName(context(policy, { champion: { version: 3, signature: null } }))['signature-compatible'].passed).toBe(false);
    expect(byName(context({ ...policy, checks: { signatureCompatible: false } }))['signature-compatible']).toBeUndefined();
  });

  it('bounds the metric gap across the groups of a sensitive attribute, leaving out groups too small to measure', () => {
    const gap = (maxGap: number) => byName(context({ model: 'churn', riskTier: 'high', checks: { fairness: [{ attribute: 'usage:region', metric: 'auc', maxGap }] } }));
    expect(gap(0.1)['fairness-gap:usage:region:auc']).toMatchObject({ passed: true, evidence: { gap: 0.08 } });
    expect(gap(0.05)['fairness-gap:usage:region:auc']).toMatchObject({ passed: false, threshold: { maxGap: 0.05, minGroupRows: 30 } });
    const unreported = byName(context({ model: 'churn', riskTier: 'high', checks: { fairness: [{ attribute: 'usage:age', metric: 'auc', maxGap: 0.1 }] } }));
    expect(unreported['fairness-gap:usage:age:auc']).toMatchObject({ passed: false, detail: expect.stringMatching(/sensitiveAttributes: \[usage:age\]/) });
  });

  it('fails a prohibited tier and an incomplete card, whatever else passes', () => {
    const checks = byName(context({ model: 'churn', riskTier: 'prohibited' }, { card: { complete: false, missing: ['considerations'] } }));
    expect(checks['risk-tier']).toMatchObject({ passed: false, detail: expect.stringMatching(/prohibited \(policy v2\)/) });
    expect(checks['model-card-complete']).toMatchObject({ passed: false, detail: 'model card incomplete: considerations' });
  });

  it('judges a model without a policy at its registry tier, on its headline metric', () => {
    const policy = defaultPolicy(version);
    expect(policy).toMatchObject({ riskTier: 'limited', rollout: 'approval-required', checks: { noRegression: [{ metric: 'auc', tolerance: 0.005 }] } });
    const names = evaluatePolicy({ ...context({ model: 'churn', riskTier: 'limited' }), policy: { definition: policy, version: null } }).map((c) => c.name);
    expect(names).toEqual(['risk-tier', 'no-regression:auc', 'signature-compatible', 'model-card-complete']);
  });
});
