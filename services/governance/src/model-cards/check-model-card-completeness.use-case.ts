import { Injectable } from '@nestjs/common';
import type { CardCompleteness } from '@mlops/contracts';
import { EventHistoryReader } from '../audit-log/event-history';
import { buildModelCard, CARD_TOPICS } from './build-model-card';
import { cardCompleteness } from './card-completeness';
import { ModelCardRepository } from './model-card.repository';

/**
 * "Is the model card complete?" for the approval checks: which required fields (by risk tier) are still empty.
 * Null when governance has not seen the version registered.
 */
@Injectable()
export class CheckModelCardCompleteness {
  constructor(
    private readonly eventHistory: EventHistoryReader,
    private readonly cards: ModelCardRepository,
  ) {}

  async execute(modelName: string, version: number): Promise<CardCompleteness | null> {
    const history = await this.eventHistory.read(modelName, CARD_TOPICS);
    const card = buildModelCard(modelName, version, history, await this.cards.edits(modelName, version));
    return card ? cardCompleteness(card) : null;
  }
}
