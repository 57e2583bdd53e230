import type { CardCompleteness, ModelCard } from '@mlops/contracts';
import type { VersionFacts } from '../facts/model-facts';
import { CardEdits, ownersOfRegistration } from './build-model-card';

/**
 * What the completeness rules read of a card. The card the API serves and the facts a version's checks hold both
 * reduce to it, so the approval check and `GET .../card` judge a card by the same rules.
 */
export interface CardContent {
  riskTier: RiskTier;
  description: string | null;
  owners: number;
  trainingData: boolean;
  metrics: number;
  useCases: number;
  limitations: number;
  users: number;
  ethicalConsiderations: number;
  tradeoffs: number;
  evaluationData: boolean;
}

interface Requirement {
  field: string;
  filled: (card: CardContent) => boolean;
  /** The lowest risk tier the field is required from. */
  from: RiskTier;
}

type RiskTier = ModelCard['modelDetails']['riskTier'];

const TIER_RANK = { minimal: 0, limited: 1, high: 2 } as const;

/**
 * What a card must say before the version may be approved, stricter as the risk grows. Every card names its owners,
 * its data and its measured quality (the platform fills these itself). A minimal-risk system carries no documentation
 * duty (the EU AI Act's lowest tier), and only minimal-risk versions are approved without a person; from `limited` on,
 * a person describes the model, its intended uses and limits, its users and ethical considerations; `high` adds the
 * tradeoffs and the evaluation data.
 */
const REQUIREMENTS: Requirement[] = [
  { field: 'modelDetails.owners', from: 'minimal', filled: (c) => c.owners > 0 },
  { field: 'modelParameters.trainingData', from: 'minimal', filled: (c) => c.trainingData },
  { field: 'quantitativeAnalysis.metrics', from: 'minimal', filled: (c) => c.metrics > 0 },
  { field: 'modelDetails.description', from: 'limited', filled: (c) => c.description !== null },
  { field: 'considerations.useCases', from: 'limited', filled: (c) => c.useCases > 0 },
  { field: 'considerations.limitations', from: 'limited', filled: (c) => c.limitations > 0 },
  { field: 'considerations.users', from: 'limited', filled: (c) => c.users > 0 },
  { field: 'considerations.ethicalConsiderations', from: 'limited', filled: (c) => c.ethicalConsiderations > 0 },
  { field: 'considerations.tradeoffs', from: 'high', filled: (c) => c.tradeoffs > 0 },
  { field: 'modelParameters.evaluationData', from: 'high', filled: (c) => c.evaluationData },
];

/** Which required fields of a card are still empty, for its version's risk tier. */
export function completenessOf(content: CardContent): CardCompleteness {
  const rank = TIER_RANK[content.riskTier];
  const missing = REQUIREMENTS.filter((r) => TIER_RANK[r.from] <= rank && !r.filled(content)).map((r) => r.field);
  return { complete: missing.length === 0, missing };
}

/** The completeness of a card as the API serves it. */
export function cardCompleteness(card: ModelCard): CardCompleteness {
  const { modelDetails, modelParameters, quantitativeAnalysis, considerations } = card;
  return completenessOf({
    riskTier: modelDetails.riskTier,
    description: modelDetails.description,
    owners: modelDetails.owners.length,
    trainingData: modelParameters.trainingData.sha256 !== null || modelParameters.trainingData.description !== null,
    metrics: quantitativeAnalysis.metrics.length,
    useCases: considerations.useCases.length,
    limitations: considerations.limitations.length,
    users: considerations.users.length,
    ethicalConsiderations: considerations.ethicalConsiderations.length,
    tradeoffs: considerations.tradeoffs.length,
    evaluationData: modelParameters.evaluationData.description !== null,
  });
}

/**
 * The completeness of the card a version will have, from what its checks know: the registration and the people's
 * edits. Judged at the risk tier the model's policy sets, which may differ from the one declared at registration.
 */
export function versionCardCompleteness(version: VersionFacts, riskTier: RiskTier, edits: CardEdits['fields']): CardCompleteness {
  return completenessOf({
    riskTier,
    description: edits.description ?? null,
    owners: (edits.owners ?? ownersOfRegistration(version.owner)).length,
    trainingData: version.datasetSha256 !== null || edits.trainingDataDescription !== undefined,
    metrics: Object.keys(version.metrics).length,
    useCases: edits.useCases?.length ?? 0,
    limitations: edits.limitations?.length ?? 0,
    users: edits.users?.length ?? 0,
    ethicalConsiderations: edits.ethicalConsiderations?.length ?? 0,
    tradeoffs: edits.tradeoffs?.length ?? 0,
    evaluationData: edits.evaluationDataDescription !== undefined,
  });
}
