import { z } from 'zod';
import { Metrics, ModelName, ObjectUri, TimeWindow, VersionNumber } from '../common';

/** The traffic a prediction served: the champion's answer, a canary or A/B challenger's, or a shadow's unseen one. */
export const ServingRole = z.enum(['champion', 'challenger', 'shadow']);

/**
 * Drift tests: Evidently's per-type defaults (ks, chi2, z_test on small references; wasserstein, jensen_shannon on
 * large ones), psi when a policy asks for it, page_hinkley for the streaming early warning on the prediction mean.
 */
export const DriftTest = z.enum(['psi', 'ks', 'chi2', 'z_test', 'jensen_shannon', 'wasserstein', 'page_hinkley']);

export const FeatureDrift = z.object({
  feature: z.string().min(1),
  test: DriftTest,
  statistic: z.number(),
  pValue: z.number().min(0).max(1).nullable(),
  threshold: z.number(),
  drifted: z.boolean(),
  /** PSI over the reference's bins, reported for every feature whatever its test. */
  psi: z.number().nonnegative().optional(),
  /** Benjamini-Hochberg adjusted p-value of the feature's hypothesis test (KS, chi-squared or Z) across the window's features. */
  adjustedPValue: z.number().min(0).max(1).nullable().optional(),
  referenceRows: z.number().int().nonnegative().optional(),
  currentRows: z.number().int().nonnegative().optional(),
});

/** The dataset-level verdicts: Evidently's share of drifted features, and false-discovery-rate control across them. */
export const DatasetDrift = z.object({
  driftedShare: z.number().min(0).max(1),
  shareThreshold: z.number().min(0).max(1),
  drifted: z.boolean(),
  fdr: z.object({ q: z.number().gt(0).lt(1), discoveries: z.array(z.string()) }),
});

export const DriftDetected = z.object({
  modelName: ModelName,
  version: VersionNumber,
  kind: z.enum(['data', 'prediction']),
  window: TimeWindow,
  features: z.array(FeatureDrift).min(1),
  severity: z.enum(['warning', 'critical']),
  role: ServingRole.optional(),
  /** `<model>:<version>:<role>:<sequence>`, the key of the window in the monitor's API and reports. */
  windowId: z.string().min(1).optional(),
  dataset: DatasetDrift.optional(),
  /** The window's JSON report in mlops-reports (an HTML one sits beside it). */
  reportUri: ObjectUri.optional(),
});

export const PerformanceDegraded = z.object({
  modelName: ModelName,
  version: VersionNumber,
  metric: z.string().min(1),
  value: z.number(),
  baseline: z.number(),
  threshold: z.number(),
  window: TimeWindow,
  role: ServingRole.optional(),
  windowId: z.string().min(1).optional(),
  /** True when the value is estimated without labels (CBPE), false when realised from joined labels. */
  estimated: z.boolean().optional(),
  /** Predictions (estimated) or labelled predictions (realised) the value rests on. */
  sampleSize: z.number().int().nonnegative().optional(),
});

/** One comparison behind a rollout verdict. */
export const RolloutEvidence = z.object({
  metric: z.string().min(1),
  test: z.enum(['two_proportion', 'mann_whitney_u', 'msprt']),
  champion: z.number(),
  challenger: z.number(),
  statistic: z.number(),
  pValue: z.number().min(0).max(1),
  samples: z.object({ champion: z.number().int().nonnegative(), challenger: z.number().int().nonnegative() }),
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
  evidence: z.array(RolloutEvidence).optional(),
});

export type FeatureDrift = z.infer<typeof FeatureDrift>;
export type DatasetDrift = z.infer<typeof DatasetDrift>;
export type RolloutEvidence = z.infer<typeof RolloutEvidence>;
export type ServingRole = z.infer<typeof ServingRole>;
