import { z } from 'zod';
import { Artifact, IsoTime, Metrics, ModelName, ModelSignature, ObjectUri, RiskTier, Sha256, Uuid, VersionNumber } from '../common';

export const Lineage = z.object({
  runId: Uuid.nullable(),
  datasetSnapshotId: Uuid.nullable(),
  datasetSha256: Sha256.nullable(),
  codeVersion: z.string().nullable(),
  parentVersion: VersionNumber.nullable(),
});

export const VersionRegistered = z.object({
  modelName: ModelName,
  version: VersionNumber,
  riskTier: RiskTier,
  artifact: Artifact,
  signature: ModelSignature,
  metrics: Metrics,
  referenceProfileUri: ObjectUri.nullable(),
  lineage: Lineage,
  registeredAt: IsoTime,
  /** The model's owner and whoever uploaded the version (null for trained versions): neither may approve it. */
  owner: z.string().min(1).nullable().default(null),
  registeredBy: z.string().min(1).nullable().default(null),
});

export const ServedVersion = z.object({ version: VersionNumber, artifact: Artifact });

export const Challenger = z.discriminatedUnion('mode', [
  ServedVersion.extend({ mode: z.literal('canary'), weight: z.number().gt(0).lt(1) }),
  ServedVersion.extend({ mode: z.literal('shadow') }),
  ServedVersion.extend({ mode: z.literal('ab'), stickyKey: z.string().min(1), weight: z.number().gt(0).lt(1) }),
]);

export const DeploymentChanged = z.object({
  modelName: ModelName,
  revision: z.number().int().positive(),
  champion: ServedVersion.nullable(),
  challenger: Challenger.nullable(),
  changedBy: z.string().min(1),
  reason: z.string().min(1),
  effectiveFrom: IsoTime,
});
