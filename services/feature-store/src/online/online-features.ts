import { Injectable } from '@nestjs/common';
import { entityKeyOf } from '../definitions/entity-key';
import { FeatureCatalog, ResolvedFeature, UnknownFeatureError } from '../definitions/feature-catalog';
import { OnlineValueStore } from './online-value.store';

import type { FeatureStatus, OnlineFeatureValue as FeatureValue, OnlineFeaturesResult } from '@mlops/contracts';

export type { FeatureStatus, FeatureValue, OnlineFeaturesResult };

export class InvalidOnlineRequestError extends Error {}

const NOT_FOUND: FeatureValue = Object.freeze({ value: null, status: 'NOT_FOUND', eventTime: null }) as FeatureValue;

/**
 * Reads the newest value per (view, entity) of every requested view in one indexed query. A value older than the
 * view's TTL at read time is EXPIRED and returned as null: a stale feature must not look like a fresh one.
 */
@Injectable()
export class OnlineFeatures {
  constructor(
    private readonly store: OnlineValueStore,
    private readonly catalog: FeatureCatalog,
  ) {}

  async read(entities: Record<string, unknown>[], refs: string[], now: Date = new Date()): Promise<OnlineFeaturesResult> {
    if (!this.catalog.isLoaded()) await this.catalog.refresh();
    const byView = this.groupByView(refs);
    // Per view, the position of each entity's (view, key) pair among those asked of the store, which are distinct.
    const slotsByView: number[][] = [];
    const views: string[] = [];
    const entityKeys: string[] = [];
    for (const features of byView.values()) {
      const view = features[0].view;
      const asked = new Map<string, number>();
      const slots = entities.map((entity, i) => {
        const key = entityKeyOf(view.joinKeys, (name) => entity[name]);
        if ('reason' in key) throw new InvalidOnlineRequestError(`entities.${i}: ${key.reason} (needed by view ${view.name})`);
        let slot = asked.get(key.key);
        if (slot === undefined) {
          slot = views.length;
          asked.set(key.key, slot);
          views.push(view.name);
          entityKeys.push(key.key);
        }
        return slot;
      });
      slotsByView.push(slots);
    }
    const stored = await this.store.read({ views, entityKeys });

    const nowMs = now.getTime();
    const results: OnlineFeaturesResult['results'] = entities.map((entity) => ({ entity, features: {} }));
    let v = 0;
    for (const features of byView.values()) {
      const view = features[0].view;
      const slots = slotsByView[v++];
      // TTL is read from the newest version: it is metadata, and may have been changed since the pinned one.
      const ttlMs = (this.catalog.view(view.name) ?? view).definition.ttlSeconds * 1000;
      for (let i = 0; i < slots.length; i++) {
        const row = stored[slots[i]];
        const out = results[i].features;
        if (!row) {
          for (const feature of features) out[feature.ref] = { ...NOT_FOUND };
          continue;
        }
        const eventTime = (row.eventTime ??= new Date(row.eventMs).toISOString());
        const expired = nowMs - row.eventMs > ttlMs;
        for (const feature of features) {
          out[feature.ref] = expired
            ? { value: null, status: 'EXPIRED', eventTime }
            : { value: row.values[feature.field.name] ?? null, status: 'PRESENT', eventTime };
        }
      }
    }
    return { results };
  }

  /** Resolves every ref, naming the first unknown one by its position. */
  private groupByView(refs: string[]): Map<string, ResolvedFeature[]> {
    const byView = new Map<string, ResolvedFeature[]>();
    refs.forEach((ref, i) => {
      let feature: ResolvedFeature;
      try {
        feature = this.catalog.resolve(ref);
      } catch (err) {
        if (err instanceof UnknownFeatureError) throw new InvalidOnlineRequestError(`features.${i}: ${err.message}`);
        throw err;
      }
      const group = byView.get(feature.view.name);
      if (group) group.push(feature);
      else byView.set(feature.view.name, [feature]);
    });
    return byView;
  }
}
