import { z } from 'zod';
import { Artifact, IsoTime, Metrics, ModelName, RiskTier, Sha256, VersionNumber } from '../common';
import { ApprovalDecided, ApprovalRequested, CheckResult } from '../events/governance';
import { Lineage } from '../events/registry';
import { IsoTimeText, wholeNumberText } from './query-text';

/**
 * One link of governance's hash-chained audit trail. `contentSha256` is the SHA-256 of the canonical JSON (RFC 8785:
 * keys sorted, no whitespace) of the entry's content fields (seq, eventId, eventType, source, subject, occurredAt,
 * recordedAt, data); `entrySha256` is the SHA-256 of the text `previousSha256 + contentSha256` (128 hex characters).
 */
export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  source: z.string().min(1),
  subject: z.string().min(1),
  occurredAt: IsoTime,
  recordedAt: IsoTime,
  data: z.unknown(),
  contentSha256: Sha256,
  previousSha256: Sha256,
  entrySha256: Sha256,
});

export const AuditListQuery = z.object({
  subject: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
  after: wholeNumberText(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: wholeNumberText(1, 1000).default(100),
});

export const AuditListResponse = z.object({ items: z.array(AuditEntry) });

export const AuditExportQuery = z.object({ after: wholeNumberText(0, Number.MAX_SAFE_INTEGER).default(0) });

export const ChainBreakKind = z.enum([
  /** Entries are missing between two stored ones (deleted rows). */
  'missing-entries',
  /** The stored content no longer hashes to contentSha256 (altered, or moved to another seq). */
  'content-altered',
  /** previousSha256 is not the entry hash of the entry before (reordered, replaced or inserted). */
  'link-broken',
  /** entrySha256 is not SHA-256(previousSha256 + contentSha256). */
  'entry-hash-altered',
  /** The last stored entry is not the head the appender last wrote (entries removed from the end). */
  'head-mismatch',
]);

export const ChainBreak = z.object({ seq: z.number().int().nonnegative(), kind: ChainBreakKind, detail: z.string() });

export const AuditVerification = z.object({
  valid: z.boolean(),
  entriesChecked: z.number().int().nonnegative(),
  head: z.object({ seq: z.number().int().nonnegative(), entrySha256: Sha256 }),
  firstBrokenLink: ChainBreak.nullable(),
  brokenLinks: z.number().int().nonnegative(),
  verifiedAt: IsoTime,
});

/** Per-model hourly counts of the high-volume streams the audit counts instead of copying. */
export const HourlyEventCount = z.object({
  modelName: z.string(),
  eventType: z.string(),
  hour: IsoTime,
  events: z.number().int().nonnegative(),
});

export const AuditCountsQuery = z.object({
  model: ModelName.optional(),
  from: IsoTimeText.optional(),
  to: IsoTimeText.optional(),
});

export const AuditCountsResponse = z.object({ items: z.array(HourlyEventCount) });

/** An audit entry an answer rests on, so the answer can be checked against the verified chain. */
export const AuditCitation = z.object({ seq: z.number().int().positive(), eventType: z.string(), entrySha256: Sha256 });

export const ApprovalEvidence = z.object({
  approvalId: z.string(),
  decision: ApprovalDecided.shape.decision.nullable(),
  automatic: z.boolean().nullable(),
  decidedBy: z.array(z.string()),
  reason: z.string().nullable(),
  decidedAt: IsoTime.nullable(),
  requestedBy: z.string().nullable(),
  riskTier: ApprovalRequested.shape.riskTier.nullable(),
  requiredApprovals: z.number().int().nonnegative().nullable(),
  checks: z.array(CheckResult),
});

export const TrainingEvidence = z.object({
  runId: z.string(),
  requestId: z.string().nullable(),
  requestedBy: z.string().nullable(),
  algorithm: z.string(),
  datasetSnapshotId: z.string(),
  datasetSha256: Sha256,
  codeVersion: z.string(),
  metrics: Metrics,
  championMetrics: Metrics.nullable(),
});

export const ServedVersionEvidence = z.object({
  version: VersionNumber,
  artifact: Artifact,
  registeredAt: IsoTime.nullable(),
  riskTier: RiskTier.nullable(),
  metrics: Metrics,
  lineage: Lineage.nullable(),
  training: TrainingEvidence.nullable(),
  /** The decision in force at the time asked about: the last one recorded at or before it. */
  approval: ApprovalEvidence.nullable(),
});

export const ServedAtQuery = z.object({ at: IsoTimeText.optional() });

export const ServedAtResponse = z.object({
  modelName: ModelName,
  at: IsoTime,
  deployment: z.object({
    revision: z.number().int().positive(),
    effectiveFrom: IsoTime,
    changedBy: z.string(),
    reason: z.string(),
  }),
  champion: ServedVersionEvidence.nullable(),
  challenger: ServedVersionEvidence.extend({ mode: z.enum(['canary', 'shadow', 'ab']), weight: z.number().nullable() }).nullable(),
  citations: z.array(AuditCitation),
});

export type AuditEntry = z.infer<typeof AuditEntry>;
export type ChainBreak = z.infer<typeof ChainBreak>;
export type AuditVerification = z.infer<typeof AuditVerification>;
export type HourlyEventCount = z.infer<typeof HourlyEventCount>;
export type AuditCitation = z.infer<typeof AuditCitation>;
export type ApprovalEvidence = z.infer<typeof ApprovalEvidence>;
export type TrainingEvidence = z.infer<typeof TrainingEvidence>;
export type ServedVersionEvidence = z.infer<typeof ServedVersionEvidence>;
export type ServedAtResponse = z.infer<typeof ServedAtResponse>;
