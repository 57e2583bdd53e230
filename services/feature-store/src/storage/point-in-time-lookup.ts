import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export type FeatureValue = string | number | boolean | null;

/**
 * The probes go in (entity, time) order, so consecutive ones descend to neighbouring index pages, and the
 * answers come back in input order. Only the asked-for fields leave the database, as one JSON array for the
 * whole chunk: parsing one document costs the service a fraction of decoding a row per label.
 */
const lookupSql = (fields: number) => `
  SELECT json_agg(CASE WHEN h."values" IS NULL THEN NULL ELSE jsonb_build_array(${Array.from({ length: fields }, (_, f) => `h."values"->$${f + 5}`).join(', ')}) END ORDER BY l.n) AS found
  FROM (
    SELECT * FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS u(entity_key, ts, n)
    ORDER BY entity_key COLLATE "C", ts
  ) l
  LEFT JOIN LATERAL (
    SELECT o."values" FROM feature_store.offline_history o
    WHERE o.view_name = $3 AND o.entity_key = l.entity_key
      AND o.event_time <= l.ts AND o.event_time >= l.ts - make_interval(secs => $4)
    ORDER BY o.event_time DESC, o.record_hash DESC
    LIMIT 1
  ) h ON true`;

/**
 * For each (entity key, timestamp) the view's newest history row at or before the timestamp and no older than
 * the TTL; ties in event time go to the higher record hash, as in the online store. One statement per chunk:
 * each row is one descent of the (view, entity, event_time) primary-key index of the partitions in range.
 * Returns per row the values of `fields` in that order (null for a field the record lacks), or null when no
 * record qualifies. `timestamps` are ISO-8601 texts, so callers looking up several views convert them once.
 */
@Injectable()
export class PointInTimeLookup {
  constructor(private readonly dataSource: DataSource) {}

  async lookup(view: string, ttlSeconds: number, fields: string[], entityKeys: (string | null)[], timestamps: string[]): Promise<(FeatureValue[] | null)[]> {
    if (entityKeys.length === 0) return [];
    const rows: { found: (FeatureValue[] | null)[] }[] = await this.dataSource.transaction(async (manager) => {
      // The plan is a nested loop of index probes: JIT-compiling it takes longer than running it.
      await manager.query('SET LOCAL jit = off');
      return manager.query(lookupSql(fields.length), [entityKeys, timestamps, view, ttlSeconds, ...fields]);
    });
    return rows[0].found;
  }
}
