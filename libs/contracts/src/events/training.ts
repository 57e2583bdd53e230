import { z } from 'zod';
import { Artifact, Metrics, ModelName, ObjectUri, Params, Sha256, Uuid, VersionNumber } from '../common';

export const Algorithm = z.enum([
  'logistic_regression',
  'linear_regression',
  'gbdt_classifier',
  'gbdt_regressor',
  'custom',
]);

export const LabelSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('feature'), featureRef: z.string().min(1) }),
  // The label CSV pinned by content: whoever names it hashes it (as it uploads it), so the feature store reads
  // exactly those bytes and nobody downloads the file just to learn its hash.
  z.object({ kind: z.literal('dataset'), uri: ObjectUri, sha256: Sha256 }),
]);

export const SplitPolicy = z.object({
  policy: z.enum(['time', 'random']).default('time'),
  holdoutFraction: z.number().gt(0).lt(1).default(0.2),
});

const FeatureRef = z.string().regex(/^[^:]+:[^:]+$/, 'must be "<view>:<feature>"');

export const TrainingRequested = z.object({
  requestId: Uuid,
  modelName: ModelName,
  featureRefs: z.array(FeatureRef).min(1),
  labelSource: LabelSource,
  algorithm: Algorithm,
  hyperparameters: Params.default({}),
  split: SplitPolicy.default({ policy: 'time', holdoutFraction: 0.2 }),
  seed: z.number().int().nonnegative().default(0),
  requestedBy: z.string().min(1),
  reason: z.string().optional(),
  /** Features (among featureRefs) whose groups the holdout metrics are also broken down by, for fairness checks. */
  sensitiveAttributes: z.array(FeatureRef).optional(),
  /** The event that made a service (the monitor) ask for this run, so the run explains itself. */
  cause: z.object({ eventId: z.string().min(1), topic: z.string().min(1), summary: z.string().min(1) }).optional(),
});

/** Holdout metrics of the rows in each group of one sensitive attribute (groups keyed by the attribute's value). */
export const GroupMetrics = z.object({
  attribute: FeatureRef,
  groups: z.array(z.object({ value: z.string(), rows: z.number().int().positive(), metrics: Metrics })),
});

export const TrainingCompleted = z.object({
  runId: Uuid,
  requestId: Uuid,
  modelName: ModelName,
  algorithm: Algorithm,
  artifact: Artifact,
  params: Params,
  metrics: Metrics,
  championMetrics: Metrics.nullable(),
  dataset: z.object({ snapshotId: Uuid, sha256: Sha256 }),
  referenceProfileUri: ObjectUri,
  codeVersion: z.string().min(1),
  parentVersion: VersionNumber.nullable(),
  durationMs: z.number().nonnegative(),
  groupMetrics: z.array(GroupMetrics).default([]),
});

export const TrainingFailed = z.object({
  runId: Uuid,
  requestId: Uuid,
  modelName: ModelName,
  reason: z.string().min(1),
  attempts: z.number().int().positive(),
});
