import type { PolicyDefinition, PolicyFile, PolicyPlan, PolicyRecord } from '@mlops/contracts';
import { directionOf } from './metric-directions';

/**
 * Compares a policy file with the policies in force, like `mlops apply` does for features: pure, so the CLI's
 * preview and the apply itself come from one computation. Any change to a policy makes a new version of it.
 */
export function planPolicies(file: PolicyFile, inForce: ReadonlyMap<string, PolicyRecord>): PolicyPlan {
  const errors: string[] = [];
  const seen = new Set<string>();
  const changes = file.policies.map((policy, i) => {
    if (seen.has(policy.model)) errors.push(`policies.${i}.model: the policy of ${policy.model} is declared twice`);
    seen.add(policy.model);
    errors.push(...policyProblems(policy).map((problem) => `policies.${i}.${problem}`));
    const before = inForce.get(policy.model);
    if (!before) return { kind: 'policy' as const, name: policy.model, action: 'create' as const, version: 1, diff: diffValues({}, policy) };
    const diff = diffValues(before.definition, policy);
    const action = diff.length ? ('new-version' as const) : ('unchanged' as const);
    return { kind: 'policy' as const, name: policy.model, action, version: before.version + (diff.length ? 1 : 0), diff };
  });
  return { changes, errors };
}

/** What the schema cannot say alone: rules named twice, and regressions of metrics with no known direction. */
function policyProblems(policy: PolicyDefinition): string[] {
  const { checks } = policy;
  return [
    ...duplicates(checks.metricFloors.map((f) => f.metric)).map((m) => `checks.metricFloors: ${m} has two floors; give one with min and max`),
    ...duplicates(checks.noRegression.map((r) => r.metric)).map((m) => `checks.noRegression: ${m} is listed twice`),
    ...duplicates(checks.fairness.map((r) => `${r.attribute} ${r.metric}`)).map((m) => `checks.fairness: ${m} is listed twice`),
    ...checks.noRegression.flatMap((rule, j) =>
      directionOf(rule) ? [] : [`checks.noRegression.${j}.direction: ${rule.metric} is not a metric governance knows; say higher-is-better or lower-is-better`],
    ),
  ];
}

function duplicates(values: string[]): string[] {
  return [...new Set(values.filter((value, i) => values.indexOf(value) !== i))];
}

/** `path: before -> after` for every leaf that differs; arrays are compared item by item. */
export function diffValues(before: unknown, after: unknown, path = ''): string[] {
  if (canonical(before) === canonical(after)) return [];
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const list = Array.isArray(before);
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(list ? (a, b) => Number(a) - Number(b) : undefined);
    const child = (key: string) => (list ? `${path}[${key}]` : path ? `${path}.${key}` : key);
    return keys.flatMap((key) => diffValues(before[key], after[key], child(key)));
  }
  const show = (value: unknown) => (value === undefined ? '(none)' : canonical(value));
  return [`${path || '(root)'}: ${show(before)} -> ${show(after)}`];
}

const isContainer = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** JSON with keys sorted at every level, so equal definitions compare equal whatever order they were written in. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isContainer(v) && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
