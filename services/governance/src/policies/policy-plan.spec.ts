import { PolicyDefinition, PolicyFile, PolicyRecord } from '@mlops/contracts';
import { planPolicies } from './policy-plan';

const file = (...policies: unknown[]) => PolicyFile.parse({ policies });
const applied = (definition: unknown, version: number): PolicyRecord => ({
  model: PolicyDefinition.parse(definition).model,
  version,
  definition: PolicyDefinition.parse(definition),
  appliedBy: 'admin',
  appliedAt: '2026-01-01T00:00:00.000Z',
});

describe('planPolicies', () => {
  const churn = { model: 'churn', riskTier: 'limited', checks: { metricFloors: [{ metric: 'auc', min: 0.7 }] } };

  it('creates new policies, versions changed ones with a leaf diff, and leaves equal ones alone whatever their key order', () => {
    const inForce = new Map([['churn', applied(churn, 3)]]);
    const plan = planPolicies(file({ ...churn, riskTier: 'high', checks: { metricFloors: [{ metric: 'auc', min: 0.75 }] } }, { model: 'fraud', riskTier: 'minimal' }), inForce);
    expect(plan.errors).toEqual([]);
    expect(plan.changes[0]).toEqual({
      kind: 'policy',
      name: 'churn',
      action: 'new-version',
      version: 4,
      diff: ['checks.metricFloors[0].min: 0.7 -> 0.75', 'riskTier: "limited" -> "high"'],
    });
    expect(plan.changes[1]).toMatchObject({ name: 'fraud', action: 'create', version: 1 });
    const reordered = { checks: { metricFloors: [{ min: 0.7, metric: 'auc' }] }, riskTier: 'limited', model: 'churn' };
    expect(planPolicies(file(reordered), inForce).changes[0]).toMatchObject({ action: 'unchanged', version: 3, diff: [] });
  });

  it('names each problem the schema cannot see, by its path', () => {
    const plan = planPolicies(
      file(churn, { model: 'churn', riskTier: 'high', checks: { noRegression: [{ metric: 'custom_score' }], metricFloors: [{ metric: 'auc', min: 0.1 }, { metric: 'auc', max: 0.9 }] } }),
      new Map(),
    );
    expect(plan.errors).toEqual([
      'policies.1.model: the policy of churn is declared twice',
      'policies.1.checks.metricFloors: auc has two floors; give one with min and max',
      'policies.1.checks.noRegression.0.direction: custom_score is not a metric governance knows; say higher-is-better or lower-is-better',
    ]);
  });

  it('is refused by the schema when a field is unknown or a floor has no bound', () => {
    expect(PolicyFile.safeParse({ policies: [{ ...churn, riskTeir: 'high' }] }).success).toBe(false);
    expect(PolicyFile.safeParse({ policies: [{ model: 'churn', riskTier: 'limited', checks: { metricFloors: [{ metric: 'auc' }] } }] }).success).toBe(false);
  });
});
