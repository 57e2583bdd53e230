import { PolicyDefinition, PolicyRecord } from '@mlops/contracts';
import type { VersionFacts } from '../facts/model-facts';

/** The policy a version is judged by, and where it came from (null: no policy applied, the default). */
export interface EffectivePolicy {
  definition: PolicyDefinition;
  version: number | null;
}

/** The headline metric of each task the built-in trainers report, in the order one is looked for. */
const PRIMARY_METRICS = ['auc', 'rmse'];
/** float32 inside ONNX against float64 in the trainer: the same model can differ in the fifth decimal. */
const ROUNDING_TOLERANCE = 0.005;

/**
 * A model nobody wrote a policy for is still checked: at the tier its owner declared in the registry, no metric
 * floors, no regression of its headline metric beyond rounding, a signature the serving champion's callers can
 * use, a complete card, and promotions only by a person.
 */
export function defaultPolicy(version: VersionFacts): PolicyDefinition {
  const primary = PRIMARY_METRICS.find((metric) => metric in version.metrics);
  return PolicyDefinition.parse({
    model: version.modelName,
    riskTier: version.riskTier,
    rollout: 'approval-required',
    description: 'default policy: no policy was applied for this model',
    checks: { noRegression: primary ? [{ metric: primary, tolerance: ROUNDING_TOLERANCE }] : [] },
  });
}

export function effectivePolicy(applied: PolicyRecord | null, version: VersionFacts): EffectivePolicy {
  return applied ? { definition: applied.definition, version: applied.version } : { definition: defaultPolicy(version), version: null };
}
