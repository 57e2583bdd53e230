import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource, EntityManager } from 'typeorm';
import { eventType, ModelCardResponse, PlatformEvent, TopicName } from '@mlops/contracts';
import { canonicalJson, sha256Hex } from '../audit-log/canonical-json';
import { EventHistory, EventHistoryReader } from '../audit-log/event-history';
import { buildModelCard, CARD_TOPICS, CardEdits, registrationOf } from './build-model-card';
import { cardCompleteness } from './card-completeness';
import { cardDocument } from './card-document';
import { CardFormat, CardStore } from './card-store';
import { ModelCardRepository, renderedOf, StoredRendering } from './model-card.repository';
import { renderHtml, renderMarkdown } from './render-card';

const CARD_EVENT_TYPES = new Set<string>(CARD_TOPICS.map(eventType));

/**
 * Keeps each version's rendered card (Markdown and HTML in the reports bucket) equal to what its events and edits
 * say. Rendering is skipped when the card's content hash has not changed, so redeliveries and reads cost no upload.
 */
@Injectable()
export class PublishModelCard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventHistory: EventHistoryReader,
    private readonly cards: ModelCardRepository,
    private readonly store: CardStore,
  ) {}

  /** The card with its completeness and rendering; null when the version was never registered. */
  publish(modelName: string, version: number): Promise<ModelCardResponse | null> {
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      const opened = await this.open(manager, modelName, version);
      return opened ? this.render(manager, modelName, version, opened.history, opened.edits) : null;
    });
  }

  /** Locks a registered version's card for the rest of the transaction; null when the version was never registered. */
  async open(manager: EntityManager, modelName: string, version: number): Promise<{ history: EventHistory; edits: CardEdits } | null> {
    const history = await this.eventHistory.read(modelName, CARD_TOPICS);
    if (!registrationOf(history, version)) return null;
    return { history, edits: await this.cards.lockForEdit(manager, modelName, version) };
  }

  /** Builds the card and, when its content changed, stores its new rendering; on a card opened in this transaction. */
  async render(manager: EntityManager, modelName: string, version: number, history: EventHistory, edits: CardEdits): Promise<ModelCardResponse> {
    const card = buildModelCard(modelName, version, history, edits);
    if (!card) throw new Error(`${modelName} version ${version} has no registration in the history given`);
    const cardSha256 = sha256Hex(canonicalJson(card));
    let rendering = await this.cards.rendering(modelName, version, manager);
    if (rendering?.cardSha256 !== cardSha256) {
      const doc = cardDocument(card);
      const [markdown, html] = await Promise.all([
        this.store.put(modelName, version, 'md', renderMarkdown(doc)),
        this.store.put(modelName, version, 'html', renderHtml(doc)),
      ]);
      rendering = { cardSha256, markdown, html, renderedAt: new Date() } satisfies StoredRendering;
      await this.cards.saveRendering(manager, modelName, version, rendering);
    }
    return { card, completeness: cardCompleteness(card), rendered: renderedOf(rendering) };
  }

  /** The stored rendering in one format, brought up to date first and checked against its hash as it streams. */
  async openRendered(modelName: string, version: number, format: CardFormat): Promise<Readable | null> {
    const rendered = (await this.publish(modelName, version))?.rendered;
    if (!rendered) return null;
    return format === 'md' ? this.store.open(rendered.markdownUri, rendered.markdownSha256) : this.store.open(rendered.htmlUri, rendered.htmlSha256);
  }

  /** Re-renders the cards an event changes: its version's, or for a finished training run the versions it became. */
  async afterEvent(event: PlatformEvent<TopicName>): Promise<void> {
    if (!CARD_EVENT_TYPES.has(event.type)) return;
    for (const version of await this.versionsChangedBy(event)) await this.publish(event.subject, version);
  }

  private async versionsChangedBy(event: PlatformEvent<TopicName>): Promise<number[]> {
    if (event.type !== eventType('mlops.training.completed')) return [(event.data as { version: number }).version];
    const runId = (event.data as PlatformEvent<'mlops.training.completed'>['data']).runId;
    const history = await this.eventHistory.read(event.subject, ['mlops.registry.version-registered']);
    return history
      .of('mlops.registry.version-registered')
      .filter((registered) => registered.data.lineage.runId === runId)
      .map((registered) => registered.data.version);
  }
}
