import { z } from 'zod';
import { IsoTime, ModelName, Uuid } from '../common';
import { TrainingCompleted, TrainingRequested } from '../events/training';
import { wholeNumberText } from './query-text';
import { defineRoutes, type HttpApi, itemsOf, text } from './route';

/**
 * `POST /training-requests`: the event's data, with the id optional (the trainer assigns one; giving one makes a
 * retried POST safe). Who asked is the caller, never a field: separation of duties keeps the requester from
 * approving the version, so a requestedBy still sent by older clients is replaced.
 */
export const SubmittedTrainingRequest = TrainingRequested.extend({
  requestId: TrainingRequested.shape.requestId.optional(),
  requestedBy: TrainingRequested.shape.requestedBy.optional(),
});

export const QueuedTrainingRequest = z.object({ requestId: Uuid, status: z.literal('queued') });

const StatusOf = { requestId: Uuid, modelName: z.string() };

/** Where a training request stands: queued, training (with its boosting progress), completed or failed. */
export const TrainingRequestStatus = z.discriminatedUnion('status', [
  z.object({ ...StatusOf, status: z.literal('queued'), requestedAt: IsoTime.nullable() }),
  z.object({
    ...StatusOf,
    status: z.literal('training'),
    startedAt: IsoTime,
    /** Null until the first boosting round; linear models report none. */
    progress: z.object({ iteration: z.number().int().nonnegative(), totalIterations: z.number().int().nonnegative(), updatedAt: IsoTime }).nullable(),
    /** Earlier attempts that failed and are being retried. */
    failedAttempts: z.number().int().nonnegative(),
    lastFailure: z.string().nullable(),
  }),
  z.object({ ...StatusOf, status: z.literal('completed'), runId: Uuid, completedAt: IsoTime }),
  z.object({ ...StatusOf, status: z.literal('failed'), reason: z.string(), attempts: z.number().int().nonnegative(), failedAt: IsoTime }),
]);

export const LossCurvePoint = z.object({ iteration: z.number().int().nonnegative(), trainLoss: z.number(), validationLoss: z.number().optional() });

/** A recorded run as the runs API shows it: what training.completed announced, plus how it was made. */
export const TrainingRun = TrainingCompleted.pick({
  runId: true,
  requestId: true,
  modelName: true,
  algorithm: true,
  params: true,
  metrics: true,
  championMetrics: true,
  dataset: true,
  artifact: true,
  referenceProfileUri: true,
  codeVersion: true,
  parentVersion: true,
  durationMs: true,
}).extend({
  seed: z.number().int().nonnegative(),
  lossCurve: z.array(LossCurvePoint),
  environment: z.record(z.string(), z.string()),
  /** Where the champion scored on this run's holdout came from; null when the model had none. */
  championSource: z.string().nullable(),
  /** Why a champion existed but was not scored (features that do not fit, a failed integrity check). */
  championSkippedReason: z.string().nullable(),
  status: z.literal('completed'),
  completedAt: IsoTime,
});

/** A run in a list: everything but its loss curve. */
export const TrainingRunSummary = TrainingRun.omit({ lossCurve: true });

/** One param or metric across the compared runs, in the order the runs were asked for. */
export const ComparisonRow = z.object({
  name: z.string(),
  values: z.array(z.union([z.number(), z.string(), z.boolean()]).nullable()),
  /** Whether the runs disagree on it (a run without it counts as different). */
  differs: z.boolean(),
  /** value - the first run's value; null where either is missing or not a number. */
  deltaFromFirst: z.array(z.number().nullable()),
});

export const RunComparison = z.object({
  runs: z.array(
    TrainingRunSummary.pick({
      runId: true,
      modelName: true,
      algorithm: true,
      seed: true,
      dataset: true,
      codeVersion: true,
      durationMs: true,
      completedAt: true,
      parentVersion: true,
      championSkippedReason: true,
    }),
  ),
  params: z.array(ComparisonRow),
  metrics: z.array(ComparisonRow),
  /** Each run's champion on that run's holdout. */
  championMetrics: z.array(ComparisonRow),
  /** Per run: its metric minus its champion's on the same holdout (positive AUC, negative RMSE: better). */
  metricsVsChampion: z.array(z.object({ name: z.string(), deltas: z.array(z.number().nullable()) })),
});

/** What a schedule fires: a training request without the parts each firing fills in. */
export const ScheduledRequestTemplate = TrainingRequested.omit({ requestId: true, modelName: true, requestedBy: true, reason: true });

/** `PUT /schedules/{model}` */
export const TrainingScheduleRequest = z.strictObject({
  /** Five fields in UTC (minute hour day-of-month month day-of-week) or @hourly/@daily/@weekly/@monthly. */
  cron: z.string().min(1),
  enabled: z.boolean().default(true),
  request: ScheduledRequestTemplate,
});

export const TrainingSchedule = z.object({
  modelName: ModelName,
  cron: z.string(),
  request: ScheduledRequestTemplate,
  enabled: z.boolean(),
  nextFireAt: IsoTime,
  lastFiredAt: IsoTime.nullable(),
  lastRequestId: Uuid.nullable(),
});

const RunPath = z.object({ id: z.uuid('must be a uuid') });
const SchedulePath = z.object({ model: ModelName });

const RunsQuery = z.strictObject({
  model: ModelName.optional(),
  limit: wholeNumberText(1, 500).default(50),
  offset: wholeNumberText(0, Number.MAX_SAFE_INTEGER).default(0),
});

const CompareQuery = z.strictObject({
  ids: z
    .string({ error: 'is required: comma-separated run ids' })
    .transform((list) => list.split(',').map((id) => id.trim()).filter((id) => id.length > 0))
    .pipe(
      z
        .array(z.uuid({ error: 'every id must be a uuid' }))
        .min(2, 'needs at least 2 run ids')
        .max(20, 'takes at most 20 run ids')
        .refine((ids) => new Set(ids).size === ids.length, 'names a run twice'),
    ),
});

export const trainerRoutes = defineRoutes({
  submitTrainingRequest: {
    method: 'post',
    path: '/training-requests',
    summary: 'Queue a training request (mlops.training.requested through the outbox); follow it with GET /training-requests/{requestId}',
    tag: 'training-requests',
    access: { permission: 'training:write' },
    body: SubmittedTrainingRequest,
    status: 202,
    response: QueuedTrainingRequest,
  },
  trainingRequestStatus: {
    method: 'get',
    path: '/training-requests/{requestId}',
    summary: 'queued; training with progress (GBDT rounds); completed with runId; failed with reason and attempts',
    tag: 'training-requests',
    access: { permission: 'training:read' },
    params: z.object({ requestId: z.uuid('must be a uuid') }),
    status: 200,
    response: TrainingRequestStatus,
    errors: { 404: 'The trainer knows no such request' },
  },
  listRuns: {
    method: 'get',
    path: '/runs',
    summary: 'Runs, newest first, with params, metrics, dataset hash, code version and duration',
    tag: 'runs',
    access: { permission: 'training:read' },
    query: RunsQuery,
    status: 200,
    response: itemsOf(TrainingRunSummary),
  },
  compareRuns: {
    method: 'get',
    path: '/runs/compare',
    summary: "The runs' params, metrics and champion metrics side by side, with deltas from the first run and against each run's champion",
    tag: 'runs',
    access: { permission: 'training:read' },
    query: CompareQuery,
    status: 200,
    response: RunComparison,
    errors: { 404: 'Some ids name no run; the message lists them' },
  },
  getRun: {
    method: 'get',
    path: '/runs/{id}',
    summary: 'One run: params, metrics, loss curve, dataset hash, code version, environment, duration, status',
    tag: 'runs',
    access: { permission: 'training:read' },
    params: RunPath,
    status: 200,
    response: TrainingRun,
    errors: { 404: 'No such run' },
  },
  runLog: {
    method: 'get',
    path: '/runs/{id}/log',
    summary: "The run's log as text (a custom trainer's stdout and stderr, its tail when it was long)",
    tag: 'runs',
    access: { permission: 'training:read' },
    params: RunPath,
    status: 200,
    response: text('text/plain'),
    errors: { 404: 'No such run, or the run has no log' },
  },
  setSchedule: {
    method: 'put',
    path: '/schedules/{model}',
    summary: "Create or replace the model's schedule (cron in UTC; request: a training request without requestId, modelName and requestedBy)",
    tag: 'schedules',
    access: { permission: 'training:write' },
    params: SchedulePath,
    body: TrainingScheduleRequest,
    status: 200,
    response: TrainingSchedule,
  },
  listSchedules: {
    method: 'get',
    path: '/schedules',
    summary: 'Every schedule with its next and last firing',
    tag: 'schedules',
    access: { permission: 'training:read' },
    status: 200,
    response: itemsOf(TrainingSchedule),
  },
  getSchedule: {
    method: 'get',
    path: '/schedules/{model}',
    summary: "The model's schedule, its next firing and the last request it fired",
    tag: 'schedules',
    access: { permission: 'training:read' },
    params: SchedulePath,
    status: 200,
    response: TrainingSchedule,
    errors: { 404: 'The model has no schedule' },
  },
  removeSchedule: {
    method: 'delete',
    path: '/schedules/{model}',
    summary: 'Stop scheduling the model; requests it already fired are unaffected',
    tag: 'schedules',
    access: { permission: 'training:write' },
    params: SchedulePath,
    status: 204,
    response: null,
    errors: { 404: 'The model has no schedule' },
  },
});

export const trainerApi: HttpApi<typeof trainerRoutes> = {
  title: 'mlops trainer',
  description: 'Training runs from mlops.training.requested: datasets, built-in and custom algorithms to ONNX, evaluation against the champion, run tracking and schedules.',
  routes: trainerRoutes,
};

export type SubmittedTrainingRequest = z.input<typeof SubmittedTrainingRequest>;
export type TrainingRequestStatus = z.infer<typeof TrainingRequestStatus>;
export type LossCurvePoint = z.infer<typeof LossCurvePoint>;
export type TrainingRun = z.infer<typeof TrainingRun>;
export type TrainingRunSummary = z.infer<typeof TrainingRunSummary>;
export type ComparisonRow = z.infer<typeof ComparisonRow>;
export type RunComparison = z.infer<typeof RunComparison>;
export type ScheduledRequestTemplate = z.output<typeof ScheduledRequestTemplate>;
export type TrainingScheduleRequest = z.output<typeof TrainingScheduleRequest>;
export type TrainingSchedule = z.infer<typeof TrainingSchedule>;
