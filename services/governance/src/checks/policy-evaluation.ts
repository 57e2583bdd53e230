import type { FairnessRule, MetricFloor, NoRegressionRule } from '@mlops/contracts';
import type { z } from 'zod';
import type { RunFacts, ServingChampion, VersionFacts } from '../facts/model-facts';
import type { EffectivePolicy } from '../policies/effective-policy';
import { directionOf } from '../policies/metric-directions';
import type { CheckOutcome } from './check-outcome';
import type { CardAssessment } from './model-card-completeness';
import { signatureIncompatibilities } from './signature-compatibility';

/** Everything a version is judged on; gathered by the caller so the judging itself is pure. */
export interface CheckContext {
  policy: EffectivePolicy;
  version: VersionFacts;
  /** null for a version someone uploaded rather than trained. */
  run: RunFacts | null;
  champion: ServingChampion | null;
  card: CardAssessment;
}

/** Every check the policy asks for, in a stable order, each with its threshold and evidence. */
export function evaluatePolicy(context: CheckContext): CheckOutcome[] {
  const { checks } = context.policy.definition;
  return [
    riskTierCheck(context.policy),
    ...checks.metricFloors.map((floor) => metricFloorCheck(floor, context.version)),
    ...checks.noRegression.map((rule) => noRegressionCheck(rule, context)),
    ...(checks.signatureCompatible ? [signatureCheck(context)] : []),
    ...(checks.modelCardComplete ? [cardCheck(context.card)] : []),
    ...checks.fairness.map((rule) => fairnessCheck(rule, context.run)),
  ];
}

const round = (value: number) => Number(value.toFixed(6));
const source = (policy: EffectivePolicy) => (policy.version === null ? 'default policy' : `policy v${policy.version}`);

function riskTierCheck(policy: EffectivePolicy): CheckOutcome {
  const tier = policy.definition.riskTier;
  const prohibited = tier === 'prohibited';
  return {
    name: 'risk-tier',
    passed: !prohibited,
    detail: prohibited
      ? `risk tier prohibited (${source(policy)}): the model may not be approved or served`
      : `risk tier ${tier} (${source(policy)})`,
    threshold: { notIn: ['prohibited'] },
    evidence: { riskTier: tier, policyVersion: policy.version },
  };
}

function metricFloorCheck(floor: z.output<typeof MetricFloor>, version: VersionFacts): CheckOutcome {
  const name = `metric-floor:${floor.metric}`;
  const threshold = { min: floor.min ?? null, max: floor.max ?? null };
  const value = version.metrics[floor.metric];
  if (value === undefined) {
    return { name, passed: false, detail: `the version reports no ${floor.metric}`, threshold, evidence: { metrics: Object.keys(version.metrics) } };
  }
  const bounds = [floor.min === undefined ? null : `>= ${floor.min}`, floor.max === undefined ? null : `<= ${floor.max}`].filter(Boolean);
  const passed = (floor.min === undefined || value >= floor.min) && (floor.max === undefined || value <= floor.max);
  return { name, passed, detail: `${floor.metric} ${round(value)} ${passed ? 'is' : 'is not'} ${bounds.join(' and ')}`, threshold, evidence: { value } };
}

function noRegressionCheck(rule: z.output<typeof NoRegressionRule>, { version, run, champion }: CheckContext): CheckOutcome {
  const name = `no-regression:${rule.metric}`;
  const direction = directionOf(rule);
  const threshold = { direction: direction ?? null, tolerance: rule.tolerance };
  const fail = (detail: string, evidence: unknown = null): CheckOutcome => ({ name, passed: false, detail, threshold, evidence });
  const pass = (detail: string, evidence: unknown = null): CheckOutcome => ({ name, passed: true, detail, threshold, evidence });
  if (!direction) return fail(`no known direction for ${rule.metric}: the policy must say higher-is-better or lower-is-better`);
  const candidate = version.metrics[rule.metric];
  if (candidate === undefined) return fail(`the version reports no ${rule.metric}`);
  if (!run) {
    if (!champion) return pass('uploaded version and no champion serves: nothing to regress from', { candidate });
    return fail(`uploaded version: nothing scored champion v${champion.version} on the same holdout; train it to compare like with like`, { candidate });
  }
  if (run.parentVersion === null) return pass('no champion served when the version was trained', { candidate });
  const baseline = run.championMetrics?.[rule.metric];
  if (baseline === undefined) {
    return fail(`champion v${run.parentVersion} was not scored on the run's holdout for ${rule.metric}`, { candidate, championVersion: run.parentVersion });
  }
  const better = direction === 'higher-is-better' ? candidate - baseline : baseline - candidate;
  const evidence = { candidate, champion: baseline, championVersion: run.parentVersion, improvement: round(better) };
  const comparison = `${rule.metric} ${round(candidate)} against champion v${run.parentVersion}'s ${round(baseline)} on the same holdout`;
  return better >= -rule.tolerance
    ? pass(`${comparison}: no regression beyond ${rule.tolerance}`, evidence)
    : fail(`${comparison}: worse by ${round(-better)}, more than the tolerance of ${rule.tolerance}`, evidence);
}

function signatureCheck({ version, champion }: CheckContext): CheckOutcome {
  const base = { name: 'signature-compatible', threshold: { compatibleWith: champion ? `champion v${champion.version}` : null } };
  if (!champion) return { ...base, passed: true, detail: 'no champion serves: any signature is compatible', evidence: null };
  if (champion.version === version.version) return { ...base, passed: true, detail: 'the version is the serving champion', evidence: null };
  if (!champion.signature) {
    return { ...base, passed: false, detail: `governance never saw champion v${champion.version} registered, so its signature is unknown`, evidence: null };
  }
  const problems = signatureIncompatibilities(champion.signature, version.signature);
  return {
    ...base,
    passed: problems.length === 0,
    detail: problems.length ? `incompatible with champion v${champion.version}: ${problems.join('; ')}` : `compatible with champion v${champion.version}`,
    evidence: { champion: champion.signature, candidate: version.signature, problems },
  };
}

function cardCheck(card: CardAssessment): CheckOutcome {
  return {
    name: 'model-card-complete',
    passed: card.complete,
    detail: card.complete ? 'model card complete' : `model card incomplete: ${card.missing.join(', ')}`,
    threshold: { missing: [] },
    evidence: { missing: card.missing },
  };
}

function fairnessCheck(rule: z.output<typeof FairnessRule>, run: RunFacts | null): CheckOutcome {
  const name = `fairness-gap:${rule.attribute}:${rule.metric}`;
  const threshold = { maxGap: rule.maxGap, minGroupRows: rule.minGroupRows };
  const breakdown = run?.groupMetrics.find((g) => g.attribute === rule.attribute);
  if (!breakdown) {
    const detail = `no per-group holdout metrics for ${rule.attribute}: train with sensitiveAttributes: [${rule.attribute}]`;
    return { name, passed: false, detail, threshold, evidence: null };
  }
  const groups = breakdown.groups
    .filter((g) => g.rows >= rule.minGroupRows && Number.isFinite(g.metrics[rule.metric]))
    .map((g) => ({ value: g.value, rows: g.rows, [rule.metric]: g.metrics[rule.metric] }));
  if (groups.length < 2) {
    const detail = `fewer than two groups of ${rule.attribute} have ${rule.minGroupRows} holdout rows and a ${rule.metric}: the gap cannot be measured`;
    return { name, passed: false, detail, threshold, evidence: { groups } };
  }
  const values = groups.map((g) => g[rule.metric] as number);
  const gap = Math.max(...values) - Math.min(...values);
  const passed = gap <= rule.maxGap;
  const detail = `${rule.metric} differs by ${round(gap)} across ${groups.length} groups of ${rule.attribute} (at most ${rule.maxGap})`;
  return { name, passed, detail, threshold, evidence: { groups, gap: round(gap) } };
}
