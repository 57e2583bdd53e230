import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ResolvedFeature } from '../definitions/feature-catalog';
import { InvalidLabelSetError, LabelColumns, LabelSet, LabelValue } from './label-set';

/** Labels taken from a feature's offline history: every recorded value becomes a label row at its event time. */
export interface LabelFeatureSource {
  ref: string;
  /** Inclusive lower and exclusive upper bound on event time (ISO-8601); open when absent. */
  from?: string;
  to?: string;
}

export interface LabelHistoryRow {
  entityKey: string;
  eventTime: Date;
  value: unknown;
}

/**
 * Of several records of one entity at one event time, the one the online store keeps (highest record hash) is
 * the label, so a record replayed or sent twice adds no row. Rows come in (event time, entity) order: the
 * dataset's bytes then depend only on the history.
 */
const historySql = `
  SELECT entity_key, event_time, value FROM (
    SELECT DISTINCT ON (entity_key, event_time) entity_key, event_time, "values"->$2 AS value
    FROM feature_store.offline_history
    WHERE view_name = $1 AND ($3::timestamptz IS NULL OR event_time >= $3) AND ($4::timestamptz IS NULL OR event_time < $4)
    ORDER BY entity_key, event_time, record_hash DESC
  ) latest
  WHERE value IS NOT NULL AND value <> 'null'::jsonb
  ORDER BY event_time, entity_key COLLATE "C"`;

@Injectable()
export class LabelHistoryReader {
  constructor(private readonly dataSource: DataSource) {}

  async read(view: string, field: string, from?: string, to?: string): Promise<LabelHistoryRow[]> {
    const rows: { entity_key: string; event_time: Date; value: unknown }[] = await this.dataSource.query(historySql, [view, field, from ?? null, to ?? null]);
    return rows.map((r) => ({ entityKey: r.entity_key, eventTime: r.event_time, value: r.value }));
  }
}

/**
 * The label rows in the shape of a label set: the label view's entity key split back into its join keys, which
 * must include every join key the requested features need. Boolean labels become 1/0 for numeric label types.
 */
export function labelSetFromHistory(rows: LabelHistoryRow[], label: ResolvedFeature, columns: LabelColumns): LabelSet {
  const labelKeys = label.view.joinKeys.map((k) => k.name);
  const missing = columns.joinKeys.filter((k) => !labelKeys.includes(k));
  if (missing.length > 0) {
    throw new InvalidLabelSetError(`labelFeature: view ${label.view.name} is keyed by ${labelKeys.join(', ')}, the features also need ${missing.join(', ')}`);
  }
  const set: LabelSet = { keys: new Map(columns.joinKeys.map((k) => [k, []])), timestamps: [], labels: [] };
  const positions = columns.joinKeys.map((k) => labelKeys.indexOf(k));
  for (const row of rows) {
    const parts = labelKeys.length === 1 ? [row.entityKey] : (JSON.parse(row.entityKey) as string[]);
    columns.joinKeys.forEach((k, i) => set.keys.get(k)?.push(parts[positions[i]]));
    set.timestamps.push(row.eventTime);
    set.labels.push(historyLabel(row.value, columns, label.ref));
  }
  return set;
}

function historyLabel(value: unknown, columns: LabelColumns, ref: string): LabelValue {
  const numeric = columns.labelType === 'float64' || columns.labelType === 'int64';
  if (numeric && typeof value === 'boolean') return value ? 1 : 0;
  const ok =
    (columns.labelType === 'float64' && typeof value === 'number') ||
    (columns.labelType === 'int64' && typeof value === 'number' && Number.isSafeInteger(value)) ||
    (columns.labelType === 'string' && typeof value === 'string') ||
    (columns.labelType === 'bool' && typeof value === 'boolean');
  if (!ok) throw new InvalidLabelSetError(`labelFeature: ${ref} holds ${JSON.stringify(value)}, not a ${columns.labelType} label`);
  return value as LabelValue;
}
