import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { Counter, Registry } from 'prom-client';
import type { PlatformConfig } from '@mlops/config';
import { metricName } from '@mlops/observability';
import { PLATFORM_CONFIG } from '@mlops/service-kit';
import { OnlineValueCache, pairKey, type StoredOnlineValue } from './online-value.cache';

// Defined beside the cache that holds it; re-exported for the store's readers.
export type { StoredOnlineValue };

export interface OnlineKeys {
  views: string[];
  entityKeys: string[];
}

interface Row {
  view_name: string;
  entity_key: string;
  event_ms: number;
  values: StoredOnlineValue['values'];
}

// Every (view, entity) pair of a request in one statement, joined on the primary key. The event time comes back
// as epoch milliseconds (floor, as a JS Date would hold it), which spares parsing a timestamp text per row.
const READ = {
  name: 'feature-store-online-read-v1',
  text: `SELECT v.view_name, v.entity_key, floor(extract(epoch FROM v.event_time) * 1000)::float8 AS event_ms, v."values"
         FROM unnest($1::text[], $2::text[]) AS k(view_name, entity_key)
         JOIN feature_store.online_values v ON v.view_name = k.view_name AND v.entity_key = k.entity_key`,
};

/**
 * Online reads: from the in-memory cache when it holds the pair (see OnlineValueCache and OnlineChangeListener),
 * otherwise from Postgres over a pool of their own, so a burst of ingestion batches on the shared pool never queues
 * in front of them, with a named prepared statement, so Postgres parses and plans it once per connection.
 */
@Injectable()
export class OnlineValueStore implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(
    @Inject(PLATFORM_CONFIG) config: PlatformConfig,
    private readonly cache: OnlineValueCache,
    registry: Registry,
  ) {
    this.pool = new Pool({
      connectionString: config.postgres.url,
      max: config.postgres.poolSize,
      application_name: `mlops-${config.service}-online`,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that loses its server must not take the process down; the next read reconnects.
    this.pool.on('error', () => undefined);
    cacheCounter(registry, 'hits', 'Online (view, entity) lookups answered from memory', () => cache.hits);
    cacheCounter(registry, 'misses', 'Online (view, entity) lookups that went to Postgres while the cache was in use', () => cache.misses);
    cacheCounter(registry, 'invalidations', 'Cached online rows made stale by change notifications (a whole view counts once)', () => cache.invalidations);
  }

  /** The stored value of each pair (views[i], entityKeys[i]) at position i, undefined where nothing is stored. */
  async read(keys: OnlineKeys): Promise<(StoredOnlineValue | undefined)[]> {
    if (!this.cache.usable) {
      const found = await this.query(keys);
      return keys.views.map((view, i) => found.get(pairKey(view, keys.entityKeys[i])));
    }
    const out: (StoredOnlineValue | undefined)[] = new Array(keys.views.length);
    const missing: OnlineKeys = { views: [], entityKeys: [] };
    const missingKeys: string[] = [];
    const missingAt: number[] = [];
    for (let i = 0; i < keys.views.length; i++) {
      const key = pairKey(keys.views[i], keys.entityKeys[i]);
      const row = this.cache.get(key);
      if (row === undefined) {
        missing.views.push(keys.views[i]);
        missing.entityKeys.push(keys.entityKeys[i]);
        missingKeys.push(key);
        missingAt.push(i);
      } else out[i] = row ?? undefined;
    }
    if (missingKeys.length === 0) return out;
    // Registered before the query is sent, so a change committed after its snapshot keeps its answer out.
    const fill = this.cache.beginFill(missingKeys);
    let found: Map<string, StoredOnlineValue> | null = null;
    try {
      found = await this.query(missing);
      for (let j = 0; j < missingKeys.length; j++) out[missingAt[j]] = found.get(missingKeys[j]);
      return out;
    } finally {
      this.cache.completeFill(fill, found);
    }
  }

  private async query(keys: OnlineKeys): Promise<Map<string, StoredOnlineValue>> {
    const result = await this.pool.query<Row>({ ...READ, values: [keys.views, keys.entityKeys] });
    const found = new Map<string, StoredOnlineValue>();
    for (const r of result.rows) {
      found.set(pairKey(r.view_name, r.entity_key), { view: r.view_name, entityKey: r.entity_key, eventMs: r.event_ms, values: r.values });
    }
    return found;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

/** A counter read from the cache's own tally when scraped, so a cached read costs no metric update. */
function cacheCounter(registry: Registry, thing: string, help: string, total: () => number): void {
  let reported = 0;
  new Counter({
    name: metricName('feature-store', `online_cache_${thing}_total`),
    help,
    registers: [registry],
    collect() {
      const now = total();
      this.inc(now - reported);
      reported = now;
    },
  });
}
