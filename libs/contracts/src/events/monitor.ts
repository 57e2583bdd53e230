import { z } from 'zod';
import { Metrics, ModelName, TimeWindow, VersionNumber } from '../common';

export const FeatureDrift = z.object({
  feature: z.string().min(1),
  test: z.enum(['psi', 'ks', 'chi2', 'jensen_shannon', 'wasserstein']),
  statistic: z.number(),
  pValue: z.number().min(0).max(1).nullable(),
  threshold: z.number(),
  drifted: z.boolean(),
});

export const DriftDetected = z.object({
  modelName: ModelName,
  version: VersionNumber,
  kind: z.enum(['data', 'prediction']),
  window: TimeWindow,
  features: z.array(FeatureDrift).min(1),
  severity: z.enum(['warning', 'critical']),
});

export const PerformanceDegraded = z.object({
  modelName: ModelName,
  version: VersionNumber,
  metric: z.string().min(1),
  value: z.number(),
  baseline: z.number(),
  threshold: z.number(),
  window: TimeWindow,
});

export const RolloutVerdict = z.object({
  modelName: ModelName,
  championVersion: VersionNumber,
  challengerVersion: VersionNumber,
  verdict: z.enum(['promote', 'rollback', 'continue']),
  championMetrics: Metrics,
  challengerMetrics: Metrics,
  reason: z.string().min(1),
  window: TimeWindow,
});
