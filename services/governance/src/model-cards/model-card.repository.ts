import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ModelCardEditableFields, ModelCardResponse } from '@mlops/contracts';
import type { CardEdits } from './build-model-card';

export interface StoredRendering {
  cardSha256: string;
  markdown: { uri: string; sha256: string };
  html: { uri: string; sha256: string };
  renderedAt: Date;
}

interface CardRow {
  edits: Partial<ModelCardEditableFields>;
  last_edited_by: string | null;
  last_edited_at: Date | null;
  card_sha256: string | null;
  markdown_uri: string | null;
  markdown_sha256: string | null;
  html_uri: string | null;
  html_sha256: string | null;
  rendered_at: Date | null;
}

/** People's edits of each card and where its current rendering lies in object storage. */
@Injectable()
export class ModelCardRepository {
  constructor(private readonly dataSource: DataSource) {}

  async edits(modelName: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<CardEdits> {
    const row = await this.row(manager, modelName, version);
    if (!row) return { fields: {}, lastEdit: null };
    const lastEdit = row.last_edited_by && row.last_edited_at ? { by: row.last_edited_by, at: row.last_edited_at.toISOString() } : null;
    return { fields: row.edits, lastEdit };
  }

  /** Locks the card's row (creating it): edits and renderings of one card apply one after the other. */
  async lockForEdit(manager: EntityManager, modelName: string, version: number): Promise<CardEdits> {
    await manager.query(`INSERT INTO governance.model_cards (model_name, version) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [modelName, version]);
    await manager.query(`SELECT 1 FROM governance.model_cards WHERE model_name = $1 AND version = $2 FOR UPDATE`, [modelName, version]);
    return this.edits(modelName, version, manager);
  }

  async saveEdits(manager: EntityManager, modelName: string, version: number, edits: CardEdits['fields'], by: string, at: Date): Promise<void> {
    await manager.query(
      `UPDATE governance.model_cards SET edits = $3, last_edited_by = $4, last_edited_at = $5 WHERE model_name = $1 AND version = $2`,
      [modelName, version, JSON.stringify(edits), by, at],
    );
  }

  async rendering(modelName: string, version: number, manager: EntityManager = this.dataSource.manager): Promise<StoredRendering | null> {
    const row = await this.row(manager, modelName, version);
    if (!row?.card_sha256 || !row.markdown_uri || !row.markdown_sha256 || !row.html_uri || !row.html_sha256 || !row.rendered_at) return null;
    return {
      cardSha256: row.card_sha256,
      markdown: { uri: row.markdown_uri, sha256: row.markdown_sha256 },
      html: { uri: row.html_uri, sha256: row.html_sha256 },
      renderedAt: row.rendered_at,
    };
  }

  /** On a row locked by lockForEdit. */
  async saveRendering(manager: EntityManager, modelName: string, version: number, rendering: StoredRendering): Promise<void> {
    await manager.query(
      `UPDATE governance.model_cards SET card_sha256 = $3, markdown_uri = $4, markdown_sha256 = $5, html_uri = $6, html_sha256 = $7,
         rendered_at = $8 WHERE model_name = $1 AND version = $2`,
      [modelName, version, rendering.cardSha256, rendering.markdown.uri, rendering.markdown.sha256, rendering.html.uri, rendering.html.sha256, rendering.renderedAt],
    );
  }

  private async row(manager: EntityManager, modelName: string, version: number): Promise<CardRow | undefined> {
    const rows: CardRow[] = await manager.query(`SELECT * FROM governance.model_cards WHERE model_name = $1 AND version = $2`, [modelName, version]);
    return rows[0];
  }
}

export function renderedOf(rendering: StoredRendering | null): ModelCardResponse['rendered'] {
  if (!rendering) return null;
  return {
    markdownUri: rendering.markdown.uri,
    markdownSha256: rendering.markdown.sha256,
    htmlUri: rendering.html.uri,
    htmlSha256: rendering.html.sha256,
    cardSha256: rendering.cardSha256,
    renderedAt: rendering.renderedAt.toISOString(),
  };
}
