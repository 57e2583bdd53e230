import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ModelCardPatch, ModelCardResponse } from '@mlops/contracts';
import { AuditTrail } from '../audit-log/audit-trail';
import type { CardEdits } from './build-model-card';
import { ModelCardRepository } from './model-card.repository';
import { PublishModelCard } from './publish-model-card.use-case';

export const CARD_EDITED_TYPE = 'governance.model-card-edited.v1';

/** Present fields replace what was written, null clears it. */
export function applyPatch(fields: CardEdits['fields'], patch: ModelCardPatch): CardEdits['fields'] {
  const next: Record<string, unknown> = { ...fields };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as CardEdits['fields'];
}

/**
 * A person's edit of a card: the new fields, the audit entry naming who changed what, and the re-rendered card
 * commit together, so no stored card says something the audit does not.
 */
@Injectable()
export class EditModelCard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cards: ModelCardRepository,
    private readonly publishModelCard: PublishModelCard,
    private readonly auditTrail: AuditTrail,
  ) {}

  /** Null when the version was never registered. */
  execute(modelName: string, version: number, patch: ModelCardPatch, editedBy: string): Promise<ModelCardResponse | null> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const opened = await this.publishModelCard.open(manager, modelName, version);
      if (!opened) return null;
      const at = new Date();
      const fields = applyPatch(opened.edits.fields, patch);
      await this.cards.saveEdits(manager, modelName, version, fields, editedBy, at);
      await this.auditTrail.append(manager, {
        eventId: randomUUID(),
        eventType: CARD_EDITED_TYPE,
        source: '/mlops/governance',
        subject: modelName,
        occurredAt: at,
        data: { modelName, version, editedBy, patch },
      });
      return this.publishModelCard.render(manager, modelName, version, opened.history, { fields, lastEdit: { by: editedBy, at: at.toISOString() } });
    });
  }
}
