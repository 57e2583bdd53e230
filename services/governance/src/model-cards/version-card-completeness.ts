import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ModelCard } from '@mlops/contracts';
import type { CardAssessment, ModelCardCompleteness } from '../checks/model-card-completeness';
import type { VersionFacts } from '../facts/model-facts';
import { versionCardCompleteness } from './card-completeness';
import { ModelCardRepository } from './model-card.repository';

/** The approval checks' view of a card: the same rules as the served card, over the edits people saved so far. */
@Injectable()
export class VersionCardCompleteness implements ModelCardCompleteness {
  constructor(private readonly cards: ModelCardRepository) {}

  async assess(manager: EntityManager, version: VersionFacts, riskTier: ModelCard['modelDetails']['riskTier']): Promise<CardAssessment> {
    const edits = await this.cards.edits(version.modelName, version.version, manager);
    return versionCardCompleteness(version, riskTier, edits.fields);
  }
}
