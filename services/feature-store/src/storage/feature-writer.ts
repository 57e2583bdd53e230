import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FeatureRow } from '../ingestion/record-validator';
import { HistoryPartitions } from './history-partitions';

/** Orders rows the way the online store and point-in-time joins pick "the latest": event time, then record hash. */
export function isNewer(a: FeatureRow, b: FeatureRow): boolean {
  const dt = a.eventTime.getTime() - b.eventTime.getTime();
  return dt > 0 || (dt === 0 && a.recordHash > b.recordHash);
}

/** An element of a Postgres array literal: quoted, with backslashes and double quotes escaped. */
export function arrayElement(text: string): string {
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}

const NEEDS_ESCAPE = /[\\"]/;

/**
 * One statement, so one round trip and one implicit transaction: both stores change together or not at all.
 * Column arrays zipped by ROWS FROM are the cheapest bulk input Postgres has short of COPY: each element goes
 * through its type's input function once; the values travel as one JSON array, which needs no escaping. The
 * first $7 rows are the newest per (view, entity) and also go online (ON CONFLICT DO UPDATE cannot touch a
 * row twice in one statement).
 */
const WRITE_SQL = `
  WITH input AS MATERIALIZED (
    SELECT * FROM ROWS FROM (
      unnest($1::text[]), unnest($2::text[]), unnest($3::timestamptz[]), unnest($4::uuid[]), unnest($5::int[]),
      jsonb_array_elements($6::jsonb)
    ) WITH ORDINALITY AS r(view_name, entity_key, event_time, record_hash, view_version, "values", n)
  ), history AS (
    INSERT INTO feature_store.offline_history (view_name, entity_key, event_time, record_hash, view_version, "values")
    SELECT view_name, entity_key, event_time, record_hash, view_version, "values" FROM input
    ON CONFLICT DO NOTHING
  )
  INSERT INTO feature_store.online_values AS o (view_name, entity_key, event_time, record_hash, view_version, "values")
  SELECT view_name, entity_key, event_time, record_hash, view_version, "values" FROM input WHERE n <= $7
  ON CONFLICT (view_name, entity_key) DO UPDATE SET
    event_time = excluded.event_time, record_hash = excluded.record_hash, view_version = excluded.view_version,
    "values" = excluded."values", written_at = now()
  WHERE (excluded.event_time, excluded.record_hash) > (o.event_time, o.record_hash)`;

/**
 * Writes a batch of validated rows: every row to the offline history (a redelivered record finds its own row and
 * adds nothing), and per (view, entity) the newest row to the online store, which only ever moves forward in
 * event time. Both effects are idempotent, so at-least-once delivery gives exactly-once state.
 */
@Injectable()
export class FeatureWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly partitions: HistoryPartitions,
  ) {}

  /** `manager`: the caller's transaction, when the rows must commit with something else. */
  async write(rows: FeatureRow[], manager?: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    await this.partitions.ensure(rows.map((r) => r.eventTime));
    const newest = new Map<string, FeatureRow>();
    for (const row of rows) {
      const id = `${row.viewName}\u0000${row.entityKey}`;
      const current = newest.get(id);
      if (!current || isNewer(row, current)) newest.set(id, row);
    }
    // Concurrent batches (other partitions, other replicas) lock online rows in key order, so they cannot deadlock.
    const online = [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    const onlineRows = new Set(online);
    const ordered = online.concat(rows.filter((row) => !onlineRows.has(row)));
    await (manager ?? this.dataSource).query(WRITE_SQL, [...columns(ordered), online.length]);
  }
}

/** The five array literals and the JSON array of values, in column order; times, hashes and versions need no quoting. */
function columns(rows: FeatureRow[]): string[] {
  const views = new Map<string, string>();
  const view: string[] = [];
  const entity: string[] = [];
  const time: string[] = [];
  const hash: string[] = [];
  const version: number[] = [];
  const values: FeatureRow['values'][] = [];
  for (const row of rows) {
    let quoted = views.get(row.viewName);
    if (quoted === undefined) views.set(row.viewName, (quoted = arrayElement(row.viewName)));
    view.push(quoted);
    entity.push(arrayElement(row.entityKey));
    time.push(row.eventTime.toISOString());
    hash.push(row.recordHash);
    version.push(row.viewVersion);
    values.push(row.values);
  }
  return [...[view, entity, time, hash, version].map((column) => `{${column.join(',')}}`), JSON.stringify(values)];
}
