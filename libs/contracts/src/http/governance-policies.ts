import { z } from 'zod';
import { IsoTime, ModelName, PolicyRiskTier } from '../common';

/** How a rollout verdict of the monitor becomes a deployment change. */
export const RolloutMode = z.enum(['auto', 'approval-required']);

export const MetricDirection = z.enum(['higher-is-better', 'lower-is-better']);

const MetricName = z.string().trim().min(1, 'must name a metric');

export const MetricFloor = z
  .object({ metric: MetricName, min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((floor) => floor.min !== undefined || floor.max !== undefined, { message: 'needs min, max or both' });

export const NoRegressionRule = z
  .object({
    metric: MetricName,
    /** Optional for the platform's own metrics (auc, rmse, ...), whose direction governance knows. */
    direction: MetricDirection.optional(),
    /** How much worse than the champion on the same holdout the candidate may be. */
    tolerance: z.number().nonnegative().default(0),
  })
  .strict();

export const FairnessRule = z
  .object({
    /** A feature the trainer breaks holdout metrics down by (training request `sensitiveAttributes`). */
    attribute: z.string().regex(/^[^:]+:[^:]+$/, 'must be "<view>:<feature>"'),
    metric: MetricName,
    /** Largest allowed difference of the metric between the best and the worst group. */
    maxGap: z.number().nonnegative(),
    /** Groups with fewer holdout rows are left out: their metric is noise. */
    minGroupRows: z.number().int().positive().default(30),
  })
  .strict();

export const PolicyChecks = z
  .object({
    metricFloors: z.array(MetricFloor).default([]),
    noRegression: z.array(NoRegressionRule).default([]),
    signatureCompatible: z.boolean().default(true),
    modelCardComplete: z.boolean().default(true),
    fairness: z.array(FairnessRule).default([]),
  })
  .strict();

/** One model's policy, as declared in YAML (`mlops policies apply policy.yaml`). */
export const PolicyDefinition = z
  .object({
    model: ModelName,
    riskTier: PolicyRiskTier,
    rollout: RolloutMode.default('approval-required'),
    description: z.string().max(10_000).default(''),
    checks: PolicyChecks.prefault({}),
  })
  .strict();

export const PolicyFile = z.object({ policies: z.array(PolicyDefinition).min(1, 'must declare at least one policy') }).strict();

export const PolicyChange = z.object({
  kind: z.literal('policy'),
  name: ModelName,
  action: z.enum(['create', 'new-version', 'unchanged']),
  /** The policy's version once applied. */
  version: z.number().int().positive(),
  /** `path: before -> after` per changed field. */
  diff: z.array(z.string()),
});

export const PolicyPlan = z.object({ changes: z.array(PolicyChange), errors: z.array(z.string()) });

export const PolicyRecord = z.object({
  model: ModelName,
  version: z.number().int().positive(),
  definition: PolicyDefinition,
  appliedBy: z.string().min(1),
  appliedAt: IsoTime,
});

export const PolicyList = z.object({ items: z.array(PolicyRecord) });

export type RolloutMode = z.infer<typeof RolloutMode>;
export type MetricDirection = z.infer<typeof MetricDirection>;
export type PolicyDefinition = z.output<typeof PolicyDefinition>;
export type PolicyFile = z.output<typeof PolicyFile>;
export type PolicyChange = z.infer<typeof PolicyChange>;
export type PolicyPlan = z.infer<typeof PolicyPlan>;
export type PolicyRecord = z.output<typeof PolicyRecord>;
