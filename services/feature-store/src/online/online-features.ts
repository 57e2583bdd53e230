import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { entityKeyOf } from '../definitions/entity-key';
import { FeatureCatalog, ResolvedFeature, UnknownFeatureError } from '../definitions/feature-catalog';

export type FeatureStatus = 'PRESENT' | 'NOT_FOUND' | 'EXPIRED';

export interface FeatureValue {
  value: string | number | boolean | null;
  status: FeatureStatus;
  eventTime: string | null;
}

export interface OnlineFeaturesResult {
  results: { entity: Record<string, unknown>; features: Record<string, FeatureValue> }[];
}

export class InvalidOnlineRequestError extends Error {}

interface OnlineRow {
  entity_key: string;
  event_time: Date;
  values: Record<string, string | number | boolean | null>;
}

/**
 * Reads the newest value per (view, entity) with one indexed query per view. A value older than the view's TTL
 * at read time is EXPIRED and returned as null: a stale feature must not look like a fresh one.
 */
@Injectable()
export class OnlineFeatures {
  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: FeatureCatalog,
  ) {}

  async read(entities: Record<string, unknown>[], refs: string[], now: Date = new Date()): Promise<OnlineFeaturesResult> {
    if (!this.catalog.isLoaded()) await this.catalog.refresh();
    const resolved = refs.map((ref, i) => {
      try {
        return this.catalog.resolve(ref);
      } catch (err) {
        if (err instanceof UnknownFeatureError) throw new InvalidOnlineRequestError(`features.${i}: ${err.message}`);
        throw err;
      }
    });
    const byView = new Map<string, ResolvedFeature[]>();
    for (const feature of resolved) byView.set(feature.view.name, [...(byView.get(feature.view.name) ?? []), feature]);
    const results: OnlineFeaturesResult['results'] = entities.map((entity) => ({ entity, features: {} }));
    await Promise.all(
      [...byView.values()].map(async (features) => {
        const view = features[0].view;
        const keys = entities.map((entity, i) => {
          const key = entityKeyOf(view.joinKeys, (name) => entity[name]);
          if ('reason' in key) throw new InvalidOnlineRequestError(`entities.${i}: ${key.reason} (needed by view ${view.name})`);
          return key.key;
        });
        const rows: OnlineRow[] = await this.dataSource.query(
          'SELECT entity_key, event_time, "values" FROM feature_store.online_values WHERE view_name = $1 AND entity_key = ANY($2)',
          [view.name, [...new Set(keys)]],
        );
        const byKey = new Map(rows.map((r) => [r.entity_key, r]));
        // TTL is read from the newest version: it is metadata, and may have been changed since the pinned one.
        const ttlMs = (this.catalog.view(view.name) ?? view).definition.ttlSeconds * 1000;
        keys.forEach((key, i) => {
          const row = byKey.get(key);
          for (const feature of features) {
            results[i].features[feature.ref] = !row
              ? { value: null, status: 'NOT_FOUND', eventTime: null }
              : now.getTime() - row.event_time.getTime() > ttlMs
                ? { value: null, status: 'EXPIRED', eventTime: row.event_time.toISOString() }
                : { value: row.values[feature.field.name] ?? null, status: 'PRESENT', eventTime: row.event_time.toISOString() };
          }
        });
      }),
    );
    return { results };
  }
}
