import type { CardCompleteness, ModelCard } from '@mlops/contracts';

interface Requirement {
  field: string;
  filled: (card: ModelCard) => boolean;
  /** The lowest risk tier the field is required from. */
  from: 'minimal' | 'limited' | 'high';
}

const TIER_RANK = { minimal: 0, limited: 1, high: 2 } as const;
const some = (items: readonly unknown[]) => items.length > 0;

/**
 * What a card must say before the version may be approved, stricter as the risk grows: every card describes the
 * model, its owners, its intended uses and limits, its data and its measured quality; from `limited` on also its
 * users and ethical considerations; `high` adds the tradeoffs and the evaluation data.
 */
const REQUIREMENTS: Requirement[] = [
  { field: 'modelDetails.description', from: 'minimal', filled: (c) => c.modelDetails.description !== null },
  { field: 'modelDetails.owners', from: 'minimal', filled: (c) => some(c.modelDetails.owners) },
  { field: 'modelParameters.trainingData', from: 'minimal', filled: (c) => c.modelParameters.trainingData.sha256 !== null || c.modelParameters.trainingData.description !== null },
  { field: 'quantitativeAnalysis.metrics', from: 'minimal', filled: (c) => some(c.quantitativeAnalysis.metrics) },
  { field: 'considerations.useCases', from: 'minimal', filled: (c) => some(c.considerations.useCases) },
  { field: 'considerations.limitations', from: 'minimal', filled: (c) => some(c.considerations.limitations) },
  { field: 'considerations.users', from: 'limited', filled: (c) => some(c.considerations.users) },
  { field: 'considerations.ethicalConsiderations', from: 'limited', filled: (c) => some(c.considerations.ethicalConsiderations) },
  { field: 'considerations.tradeoffs', from: 'high', filled: (c) => some(c.considerations.tradeoffs) },
  { field: 'modelParameters.evaluationData', from: 'high', filled: (c) => c.modelParameters.evaluationData.description !== null },
];

/** Which required fields of a card are still empty, for its version's risk tier. */
export function cardCompleteness(card: ModelCard): CardCompleteness {
  const rank = TIER_RANK[card.modelDetails.riskTier];
  const missing = REQUIREMENTS.filter((r) => TIER_RANK[r.from] <= rank && !r.filled(card)).map((r) => r.field);
  return { complete: missing.length === 0, missing };
}
