import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type FeatureValues = Record<string, string | number | boolean | null>;

const LOOKUP = `
  SELECT h."values" FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS l(entity_key, ts, n)
  LEFT JOIN LATERAL (
    SELECT o."values" FROM feature_store.offline_history o
    WHERE o.view_name = $3 AND o.entity_key = l.entity_key
      AND o.event_time <= l.ts AND o.event_time >= l.ts - make_interval(secs => $4)
    ORDER BY o.event_time DESC, o.record_hash DESC
    LIMIT 1
  ) h ON true
  ORDER BY l.n`;

/**
 * For each (entity key, timestamp) the view's newest history row at or before the timestamp and no older than
 * the TTL; ties in event time go to the higher record hash, as in the online store. One statement per chunk:
 * each row is one descent of the (view, entity, event_time) primary-key index of the partitions in range.
 */
@Injectable()
export class PointInTimeLookup {
  constructor(private readonly dataSource: DataSource) {}

  async lookup(view: string, ttlSeconds: number, entityKeys: (string | null)[], timestamps: Date[]): Promise<(FeatureValues | null)[]> {
    const rows: { values: FeatureValues | null }[] = await this.dataSource.transaction(async (manager) => {
      // The plan is a nested loop of index probes: JIT-compiling it takes longer than running it.
      await manager.query('SET LOCAL jit = off');
      return manager.query(LOOKUP, [entityKeys, timestamps.map((t) => t.toISOString()), view, ttlSeconds]);
    });
    return rows.map((r) => r.values);
  }
}
