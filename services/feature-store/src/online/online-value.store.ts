import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import type { PlatformConfig } from '@mlops/config';
import { PLATFORM_CONFIG } from '@mlops/service-kit';

/** The stored newest value of one (view, entity): event time in epoch milliseconds and the feature values. */
export interface StoredOnlineValue {
  view: string;
  entityKey: string;
  eventMs: number;
  values: Record<string, string | number | boolean | null>;
}

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
 * Online reads over a pool of their own, so a burst of ingestion batches on the shared pool never queues in
 * front of them, and with a named prepared statement, so Postgres parses and plans it once per connection.
 */
@Injectable()
export class OnlineValueStore implements OnApplicationShutdown {
  private readonly pool: Pool;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.pool = new Pool({
      connectionString: config.postgres.url,
      max: config.postgres.poolSize,
      application_name: `mlops-${config.service}-online`,
      connectionTimeoutMillis: 10_000,
    });
    // An idle client that loses its server must not take the process down; the next read reconnects.
    this.pool.on('error', () => undefined);
  }

  /** The stored values of the pairs (views[i], entityKeys[i]); pairs with nothing stored are absent. */
  async read(keys: OnlineKeys): Promise<StoredOnlineValue[]> {
    const result = await this.pool.query<Row>({ ...READ, values: [keys.views, keys.entityKeys] });
    return result.rows.map((r) => ({ view: r.view_name, entityKey: r.entity_key, eventMs: r.event_ms, values: r.values }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
