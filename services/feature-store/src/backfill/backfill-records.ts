import { ParquetCell, readParquetRows } from '@mlops/ml';
import { parse } from 'csv-parse/sync';
import type { FeatureViewVersion } from '../definitions/feature-definitions';

export class InvalidBackfillError extends Error {}

/**
 * CSV cells are text: each is turned into the JSON type the view expects for its column, so a backfilled row
 * goes through the same validation as a streamed record. Empty cells are missing values.
 */
export function recordsFromCsv(text: string, view: FeatureViewVersion): Record<string, unknown>[] {
  const types = columnTypes(view);
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw new InvalidBackfillError(`not a readable CSV: ${(err as Error).message}`);
  }
  const header = rows[0] ?? [];
  return rows.slice(1).map((cells) => {
    const record: Record<string, unknown> = {};
    header.forEach((column, i) => {
      const cell = cells[i];
      if (cell === undefined || cell === '') return;
      setPath(record, column, typed(cell, types.get(column)));
    });
    return record;
  });
}

/** Parquet rows come typed; times and 64-bit integers are turned into what a JSON producer would send. */
export function recordsFromParquet(bytes: Buffer): Record<string, unknown>[] {
  let rows: Record<string, ParquetCell>[];
  try {
    rows = readParquetRows(bytes);
  } catch (err) {
    throw new InvalidBackfillError((err as Error).message);
  }
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (value === null) continue;
      setPath(record, key, value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : value);
    }
    return record;
  });
}

/** Files are flat: a column named `a.b` fills the field the view reads from the path a.b. */
function columnTypes(view: FeatureViewVersion): Map<string, string> {
  const source = view.definition.source;
  const types = new Map<string, string>();
  for (const key of view.joinKeys) types.set(source.entityKeyFields[key.name] ?? key.name, key.type === 'int64' ? 'int64-key' : 'string');
  types.set(source.eventTimeField, 'time');
  for (const field of view.definition.schema) types.set(source.fieldMapping[field.name] ?? field.name, field.type);
  return types;
}

function typed(cell: string, type: string | undefined): unknown {
  if (type === 'int64' || type === 'float64') return cell.trim() === '' || Number.isNaN(Number(cell)) ? cell : Number(cell);
  if (type === 'bool') return cell === 'true' ? true : cell === 'false' ? false : cell;
  if (type === 'time') return /^\d+$/.test(cell) ? Number(cell) : cell;
  return cell;
}

function setPath(record: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = record;
  for (const part of parts.slice(0, -1)) {
    if (!node[part] || typeof node[part] !== 'object') node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}
