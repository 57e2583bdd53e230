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

export const TrainingRequested = z.object({
  requestId: Uuid,
  modelName: ModelName,
  featureRefs: z.array(z.string().regex(/^[^:]+:[^:]+$/, 'must be "<view>:<feature>"')).min(1),
  labelSource: LabelSource,
  algorithm: Algorithm,
  hyperparameters: Params.default({}),
  split: SplitPolicy.default({ policy: 'time', holdoutFraction: 0.2 }),
  seed: z.number().int().nonnegative().default(0),
  requestedBy: z.string().min(1),
  reason: z.string().optional(),
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
});

export const TrainingFailed = z.object({
  runId: Uuid,
  requestId: Uuid,
  modelName: ModelName,
  reason: z.string().min(1),
  attempts: z.number().int().positive(),
});
