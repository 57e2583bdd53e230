import { z } from 'zod';
import { Artifact, IsoTime, ModelName, Params, RiskTier, Sha256, TensorSpec, VersionNumber } from '../common';
import { ApprovalDecided, CheckResult } from '../events/governance';
import { Lineage } from '../events/registry';

const Text = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
const ShortText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
const TextList = z.array(Text).max(100, 'must hold at most 100 entries');

export const CardOwner = z.object({ name: ShortText, contact: ShortText.optional() }).strict();
export const EthicalConsideration = z.object({ name: Text, mitigationStrategy: Text.optional() }).strict();

/**
 * What people write on a card; everything else on it is generated from platform events. In a PATCH each field
 * present replaces the stored value and `null` clears it; fields left out stay as they are.
 */
export const ModelCardEditableFields = z.object({
  description: Text,
  owners: z.array(CardOwner).max(50, 'must hold at most 50 owners'),
  license: ShortText,
  references: TextList,
  trainingDataDescription: Text,
  evaluationDataDescription: Text,
  users: TextList,
  useCases: TextList,
  limitations: TextList,
  tradeoffs: TextList,
  ethicalConsiderations: z.array(EthicalConsideration).max(100, 'must hold at most 100 entries'),
});

export const ModelCardPatch = z
  .object(Object.fromEntries(Object.entries(ModelCardEditableFields.shape).map(([key, schema]) => [key, schema.nullable().optional()])) as {
    [K in keyof typeof ModelCardEditableFields.shape]: z.ZodOptional<z.ZodNullable<(typeof ModelCardEditableFields.shape)[K]>>;
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, 'must set or clear at least one editable field');

export const CardMetric = z.object({ name: z.string(), value: z.number(), championValue: z.number().nullable() });

/** The Model Card Toolkit's four sections, filled from registry, trainer and approval events plus the edits. */
export const ModelCard = z.object({
  modelDetails: z.object({
    name: ModelName,
    version: VersionNumber,
    description: z.string().nullable(),
    owners: z.array(CardOwner),
    riskTier: RiskTier,
    registeredAt: IsoTime,
    license: z.string().nullable(),
    references: z.array(z.string()),
    artifact: Artifact,
    lineage: Lineage,
  }),
  modelParameters: z.object({
    architecture: z.string(),
    hyperparameters: Params,
    inputs: z.array(TensorSpec),
    outputs: z.array(TensorSpec),
    trainingData: z.object({
      snapshotId: z.string().nullable(),
      sha256: Sha256.nullable(),
      description: z.string().nullable(),
    }),
    evaluationData: z.object({ description: z.string().nullable() }),
  }),
  quantitativeAnalysis: z.object({
    metrics: z.array(CardMetric),
    checks: z.array(CheckResult),
    approval: z
      .object({ decision: ApprovalDecided.shape.decision, decidedBy: z.array(z.string()), reason: z.string(), decidedAt: IsoTime })
      .nullable(),
  }),
  considerations: z.object({
    users: z.array(z.string()),
    useCases: z.array(z.string()),
    limitations: z.array(z.string()),
    tradeoffs: z.array(z.string()),
    ethicalConsiderations: z.array(EthicalConsideration),
  }),
  lastEdit: z.object({ by: z.string(), at: IsoTime }).nullable(),
});

export const CardCompleteness = z.object({
  complete: z.boolean(),
  /** Dotted paths of the required fields still empty, e.g. `considerations.limitations`. */
  missing: z.array(z.string()),
});

export const ModelCardResponse = z.object({
  card: ModelCard,
  completeness: CardCompleteness,
  rendered: z
    .object({ markdownUri: z.string(), markdownSha256: Sha256, htmlUri: z.string(), htmlSha256: Sha256, cardSha256: Sha256, renderedAt: IsoTime })
    .nullable(),
});

export type CardOwner = z.infer<typeof CardOwner>;
export type EthicalConsideration = z.infer<typeof EthicalConsideration>;
export type ModelCardEditableFields = z.infer<typeof ModelCardEditableFields>;
export type ModelCardPatch = z.infer<typeof ModelCardPatch>;
export type CardMetric = z.infer<typeof CardMetric>;
export type ModelCard = z.infer<typeof ModelCard>;
export type CardCompleteness = z.infer<typeof CardCompleteness>;
export type ModelCardResponse = z.infer<typeof ModelCardResponse>;
