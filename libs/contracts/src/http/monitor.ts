import { z } from 'zod';
import { IsoTime, Metrics, ModelName, ObjectUri, Sha256, TimeWindow, VersionNumber } from '../common';
import { DatasetDrift, FeatureDrift, RolloutEvidence, ServingRole } from '../events/monitor';
import { TrainingRequested } from '../events/training';
import { defineRoutes, type HttpApi, itemsOf } from './route';

/** `POST /references`: a reference profile computed from a Parquet dataset snapshot, for a model trained elsewhere. */
export const CreateReferenceRequest = z.object({
  modelName: ModelName,
  version: VersionNumber,
  dataset: z.object({ uri: ObjectUri, sha256: Sha256.optional() }),
  /** The snapshot's columns in the order of the model's input columns. */
  features: z.array(z.string().min(1)).min(1),
  /** A column with the model's output on each row (P(1) for a binary classifier), profiled as the prediction. */
  predictionColumn: z.string().min(1).optional(),
  /** A 0/1 label column: with predictionColumn it is the labelled set CBPE is calibrated on (rows the model was not trained on). */
  labelColumn: z.string().min(1).optional(),
});

export const ReferenceSummary = z.object({
  modelName: ModelName,
  version: VersionNumber,
  source: z.enum(['trainer', 'dataset']),
  profileUri: ObjectUri,
  rowCount: z.number().int().nonnegative(),
  features: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical']) })),
  predictions: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical']) })),
  calibrationRows: z.number().int().nonnegative(),
  createdAt: IsoTime,
});

/** `PUT /models/:name/policy`: how one model is watched. Every field has a default. */
export const MonitoringPolicy = z.object({
  window: z
    .object({
      /** A window closes after this many predictions... */
      maxRows: z.number().int().min(10).max(10_000_000).default(10_000),
      /** ...or once it spans this long (by prediction time), whichever comes first. */
      maxSeconds: z.number().int().positive().default(3600),
    })
    .prefault({}),
  drift: z
    .object({
      /** Evidently's share rule: the dataset drifts when at least this share of features drift. */
      datasetDriftShare: z.number().gt(0).max(1).default(0.5),
      /** False-discovery rate for the Benjamini-Hochberg verdict across features. */
      fdrQ: z.number().gt(0).lt(1).default(0.05),
      /**
       * A feature drifts only if its distance also exceeds the sampling noise expected at the window's and the
       * reference's sizes (large windows stop flagging trivial shifts, small ones stop flagging noise).
       */
      sampleSizeAware: z.boolean().default(false),
      /** Per-feature test and threshold, replacing Evidently's default choice. */
      overrides: z.record(z.string(), z.object({ test: z.enum(['ks', 'chi2', 'z_test', 'wasserstein', 'jensen_shannon', 'psi']), threshold: z.number().positive() })).default({}),
      /** Page-Hinkley on the prediction mean: tolerated change and alarm threshold (in units of the prediction). */
      pageHinkley: z.object({ delta: z.number().nonnegative().default(0.005), threshold: z.number().positive().default(50) }).prefault({}),
    })
    .prefault({}),
  performance: z
    .object({
      /** The metric compared with the training holdout (default auc for classifiers, rmse for regressors). */
      metric: z.string().min(1).optional(),
      /** Degraded when the metric is worse than the holdout value by more than this (absolute). */
      maxDegradation: z.number().nonnegative().default(0.05),
      /** Realised metrics need at least this many joined labels. */
      minLabels: z.number().int().positive().default(100),
    })
    .prefault({}),
  retraining: z
    .object({
      enabled: z.boolean().default(false),
      on: z.array(z.enum(['drift', 'performance'])).min(1).default(['drift', 'performance']),
      cooldownSeconds: z.number().int().nonnegative().default(86_400),
      maxPerDay: z.number().int().positive().default(1),
    })
    .prefault({}),
  rollout: z
    .object({
      /** Predictions (and labelled ones, for accuracy) each side needs before a verdict other than continue. */
      minSamples: z.number().int().positive().default(500),
      alpha: z.number().gt(0).lt(1).default(0.05),
      /** Latency worse by more than this share (Mann-Whitney significant) rolls back. */
      maxLatencyIncrease: z.number().nonnegative().default(0.2),
    })
    .prefault({}),
});

/** What every per-window result opens with: which window of which served model it describes. */
export const WindowResultHeader = z.object({
  windowId: z.string(),
  modelName: ModelName,
  version: VersionNumber,
  role: ServingRole,
  window: TimeWindow,
  rows: z.number().int().nonnegative(),
});

export const DriftWindowResult = WindowResultHeader.extend({
  /** Null while the version has no reference profile; the window is kept and evaluated once one arrives. */
  referenceRows: z.number().int().nonnegative().nullable(),
  features: z.array(FeatureDrift),
  predictions: z.array(FeatureDrift),
  dataset: DatasetDrift.nullable(),
  drifted: z.boolean(),
  reportUri: ObjectUri.nullable(),
  evaluatedAt: IsoTime,
});

export const MetricEstimate = z.object({ value: z.number(), lower: z.number(), upper: z.number() });

export const PerformanceWindowResult = WindowResultHeader.extend({
  /** CBPE for binary classifiers with a calibration set: expected accuracy and ROC AUC with a 95% band. */
  estimated: z.object({ accuracy: MetricEstimate, rocAuc: MetricEstimate }).nullable(),
  /** From the labels joined so far to this window's predictions. */
  realised: Metrics.nullable(),
  labelled: z.number().int().nonnegative(),
  /** Share of the window's joinable predictions that have a label. */
  labelJoinRate: z.number().min(0).max(1),
  baseline: Metrics.nullable(),
});

export const RolloutVerdictRecord = z.object({
  modelName: ModelName,
  championVersion: VersionNumber,
  challengerVersion: VersionNumber,
  verdict: z.enum(['promote', 'rollback', 'continue']),
  reason: z.string(),
  evidence: z.array(RolloutEvidence),
  window: TimeWindow,
  decidedAt: IsoTime,
});

export const RetrainingDecision = z.object({
  modelName: ModelName,
  decision: z.enum(['requested', 'suppressed']),
  /** Why it was requested, or which rule held it back (cooldown, daily limit, a run still going, no recipe, disabled). */
  reason: z.string(),
  cause: z.object({ eventId: z.string(), topic: z.string(), summary: z.string() }),
  trainingRequestId: z.string().nullable(),
  decidedAt: IsoTime,
});

/** `GET /models/:name/retraining`: the decisions, and what the next one would rest on. */
export const RetrainingHistory = z.object({
  items: z.array(RetrainingDecision),
  /** The model's last training request the monitor saw: what a retraining would repeat (null: none seen, none possible). */
  recipe: TrainingRequested.nullable(),
  /** Training requests of the model seen but not yet completed or failed: while any is listed no retraining is requested. */
  running: z.array(z.object({ requestId: z.string(), requestedAt: IsoTime })),
});

export const LabelJoinStats = z.object({
  modelName: ModelName,
  joined: z.number().int().nonnegative(),
  /** Labels whose prediction had already left the join state (older than the horizon) or was never seen. */
  unmatched: z.number().int().nonnegative(),
  /** Labels held back because their prediction has not been consumed yet. */
  pending: z.number().int().nonnegative(),
});

export type CreateReferenceRequest = z.infer<typeof CreateReferenceRequest>;
export type ReferenceSummary = z.infer<typeof ReferenceSummary>;
export type MonitoringPolicy = z.output<typeof MonitoringPolicy>;
export type WindowResultHeader = z.infer<typeof WindowResultHeader>;
export type DriftWindowResult = z.infer<typeof DriftWindowResult>;
export type PerformanceWindowResult = z.infer<typeof PerformanceWindowResult>;
export type RolloutVerdictRecord = z.infer<typeof RolloutVerdictRecord>;
export type RetrainingDecision = z.infer<typeof RetrainingDecision>;
export type RetrainingHistory = z.infer<typeof RetrainingHistory>;
export type LabelJoinStats = z.infer<typeof LabelJoinStats>;

/** `?version=&limit=` of the history routes. */
export const HistoryQuery = z.object({
  version: z.coerce.number({ error: 'must be a version number' }).int('must be a version number').positive('must be a version number').optional(),
  limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(50),
});

const ModelPath = z.object({ name: ModelName });

const history = <S extends z.ZodType>(summary: string, response: S) =>
  ({ method: 'get', tag: 'history', access: { permission: 'monitor:read' }, params: ModelPath, query: HistoryQuery, status: 200, summary, response }) as const;

export const monitorRoutes = defineRoutes({
  createReference: {
    method: 'post',
    path: '/references',
    summary: 'Profile a Parquet dataset snapshot as the reference of a model version trained elsewhere',
    tag: 'references',
    access: { permission: 'monitor:write' },
    body: CreateReferenceRequest,
    status: 201,
    response: ReferenceSummary,
    errors: { 422: 'The dataset lacks a named column or cannot be read' },
  },
  listReferences: {
    method: 'get',
    path: '/models/{name}/references',
    summary: "The model's reference profiles, newest version first",
    tag: 'references',
    access: { permission: 'monitor:read' },
    params: ModelPath,
    status: 200,
    response: itemsOf(ReferenceSummary),
  },
  setPolicy: {
    method: 'put',
    path: '/models/{name}/policy',
    summary: 'How the model is watched; omitted fields take their defaults. Answers the stored policy with every default filled in',
    tag: 'policies',
    access: { permission: 'monitor:write' },
    params: ModelPath,
    body: MonitoringPolicy,
    status: 200,
    response: MonitoringPolicy,
  },
  getPolicy: {
    method: 'get',
    path: '/models/{name}/policy',
    summary: "The model's policy (the defaults when none was set)",
    tag: 'policies',
    access: { permission: 'monitor:read' },
    params: ModelPath,
    status: 200,
    response: MonitoringPolicy,
  },
  drift: { ...history('Evaluated windows, newest first: per-feature tests, dataset verdicts, report URI', itemsOf(DriftWindowResult)), path: '/models/{name}/drift' },
  performance: {
    ...history('Per window, newest first: CBPE estimate with its band, realised metrics once labels are in, join rate, baseline', itemsOf(PerformanceWindowResult)),
    path: '/models/{name}/performance',
  },
  rollouts: { ...history('Rollout verdicts with their evidence, newest first', itemsOf(RolloutVerdictRecord)), path: '/models/{name}/rollouts' },
  retraining: {
    ...history(
      'Every retraining the monitor requested or held back, with the event that caused it and the rule that decided; the recipe a retraining would repeat and the requests still running',
      RetrainingHistory,
    ),
    path: '/models/{name}/retraining',
  },
});

export const monitorApi: HttpApi<typeof monitorRoutes> = {
  title: 'mlops monitor',
  description: 'Reference profiles, live windows, data and prediction drift, live performance and rollout verdicts.',
  routes: monitorRoutes,
};
