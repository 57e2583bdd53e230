import type { EntityManager } from 'typeorm';
import type { CardCompleteness, ModelCard } from '@mlops/contracts';
import type { VersionFacts } from '../facts/model-facts';

export type CardAssessment = CardCompleteness;

/**
 * The port the checks ask whether a version's model card is complete; the model-card feature answers it from the
 * card's rules and the people's edits (model-cards/version-card-completeness.ts).
 */
export const MODEL_CARD_COMPLETENESS = Symbol('MODEL_CARD_COMPLETENESS');

export interface ModelCardCompleteness {
  assess(manager: EntityManager, version: VersionFacts, riskTier: ModelCard['modelDetails']['riskTier']): Promise<CardAssessment>;
}
