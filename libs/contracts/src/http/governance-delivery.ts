import { z } from 'zod';
import { IsoTime, ModelName, VersionNumber } from '../common';
import { IsoTimeText, wholeNumberText } from './query-text';

export const DeliveryMetricsQuery = z.object({
  from: IsoTimeText.optional(),
  to: IsoTimeText.optional(),
  /** A change whose version degrades (performance or drift) within this many hours of going live has failed. */
  failureWindowHours: wholeNumberText(1, 24 * 90).default(24),
});

const Seconds = z.number().nonnegative();

/** DORA's four keys applied to models over one window. */
export const DeliveryMetrics = z.object({
  /** Champion changes, rollbacks included. */
  deployments: z.number().int().nonnegative(),
  deploymentsPerDay: z.number().nonnegative(),
  leadTime: z.object({
    /** Deployments of a newly trained version whose training request is on record. */
    measured: z.number().int().nonnegative(),
    medianSeconds: Seconds.nullable(),
    meanSeconds: Seconds.nullable(),
  }),
  changeFailure: z.object({
    /** Deployments of a version that had not served as champion before. */
    changes: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    rolledBack: z.number().int().nonnegative(),
    degraded: z.number().int().nonnegative(),
    rate: z.number().min(0).max(1).nullable(),
  }),
  timeToRestore: z.object({
    incidents: z.number().int().nonnegative(),
    restored: z.number().int().nonnegative(),
    open: z.number().int().nonnegative(),
    medianSeconds: Seconds.nullable(),
  }),
});

export const DeliveryMetricsResponse = z.object({
  from: IsoTime,
  to: IsoTime,
  failureWindowHours: z.number().int().positive(),
  platform: DeliveryMetrics,
  models: z.array(DeliveryMetrics.extend({ modelName: ModelName })),
});

export const MlTestSection = z.enum(['data', 'model', 'infrastructure', 'monitoring']);

/** Test ids as in Breck et al. 2017, section and number: data-1 ... monitoring-7. */
export const MlTestId = z.string().regex(/^(data|model|infrastructure|monitoring)-[1-7]$/, 'must be a test id such as data-1 or monitoring-7');

export const ManualEvidenceRequest = z
  .object({
    test: MlTestId,
    link: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL to the record of the manual test' }),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

export const MlTestResult = z.object({
  id: MlTestId,
  section: MlTestSection,
  title: z.string(),
  points: z.union([z.literal(0), z.literal(0.5), z.literal(1)]),
  how: z.enum(['automatic', 'manual', 'missing']),
  evidence: z.string().nullable(),
  /** What would earn the test its point, when it has less than one. */
  toEarnFull: z.string().nullable(),
});

export const MlTestScoreResponse = z.object({
  modelName: ModelName,
  /** The version assessed: the serving champion, or else the latest registered. */
  version: VersionNumber.nullable(),
  score: z.number().nonnegative(),
  sections: z.array(z.object({ section: MlTestSection, points: z.number().nonnegative() })),
  tests: z.array(MlTestResult),
  missing: z.array(z.string()),
});

export const ManualEvidence = ManualEvidenceRequest.extend({ modelName: ModelName, recordedBy: z.string(), recordedAt: IsoTime });

export type DeliveryMetrics = z.infer<typeof DeliveryMetrics>;
export type DeliveryMetricsResponse = z.infer<typeof DeliveryMetricsResponse>;
export type MlTestSection = z.infer<typeof MlTestSection>;
export type ManualEvidenceRequest = z.infer<typeof ManualEvidenceRequest>;
export type ManualEvidence = z.infer<typeof ManualEvidence>;
export type MlTestResult = z.infer<typeof MlTestResult>;
export type MlTestScoreResponse = z.infer<typeof MlTestScoreResponse>;
