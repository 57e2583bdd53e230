import { parse } from 'csv-parse/sync';
import { LABEL_TYPES } from '@mlops/contracts';
import { parseEventTime } from '../ingestion/record-validator';

export { LABEL_TYPES };
export type LabelType = (typeof LABEL_TYPES)[number];
export type LabelValue = number | string | boolean | null;

/** Label rows in columns: one array per join key, the timestamps and the labels, in input order. */
export interface LabelSet {
  keys: Map<string, unknown[]>;
  timestamps: Date[];
  labels: LabelValue[];
}

export class InvalidLabelSetError extends Error {}

export interface LabelColumns {
  joinKeys: string[];
  timestampField: string;
  labelField: string;
  labelType: LabelType;
}

/** Rows given inline as JSON objects. */
export function labelSetFromRows(rows: Record<string, unknown>[], columns: LabelColumns): LabelSet {
  const set: LabelSet = { keys: new Map(columns.joinKeys.map((k) => [k, []])), timestamps: [], labels: [] };
  rows.forEach((row, i) => {
    for (const key of columns.joinKeys) set.keys.get(key)?.push(row[key]);
    const time = parseEventTime(row[columns.timestampField]);
    if (!time) throw new InvalidLabelSetError(`entityRows.${i}.${columns.timestampField}: must be an ISO-8601 time with offset or epoch milliseconds`);
    set.timestamps.push(time);
    set.labels.push(labelValue(row[columns.labelField], columns.labelType, `entityRows.${i}.${columns.labelField}`));
  });
  return set;
}

/**
 * A CSV with a header row (RFC 4180: quoted fields, "" for a quote, line breaks inside quotes), read by csv-parse
 * record by record straight into the columns, so a million-row label set holds no array of rows on the way.
 */
export function labelSetFromCsv(text: string, columns: LabelColumns): LabelSet {
  const set: LabelSet = { keys: new Map(columns.joinKeys.map((k) => [k, []])), timestamps: [], labels: [] };
  let readRow: ((cells: string[], line: number) => void) | null = null;
  try {
    parse(text, {
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (cells: string[], { lines }: { lines: number }) => {
        if (readRow) readRow(cells, lines);
        else readRow = csvRowReader(cells, columns, set);
        return null;
      },
    });
  } catch (err) {
    if (err instanceof InvalidLabelSetError) throw err;
    throw new InvalidLabelSetError(`entitySource: not a readable CSV: ${(err as Error).message}`);
  }
  if (!readRow) csvRowReader([], columns, set);
  return set;
}

/** Reads the header; the reader it returns appends one data row to `set`, naming the line of a bad value. */
function csvRowReader(header: string[], columns: LabelColumns, set: LabelSet): (cells: string[], line: number) => void {
  const indexOf = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new InvalidLabelSetError(`entitySource: the CSV header has no column ${name} (has ${header.join(', ')})`);
    return index;
  };
  const keyIndexes = columns.joinKeys.map(indexOf);
  const timeIndex = indexOf(columns.timestampField);
  const labelIndex = header.includes(columns.labelField) ? indexOf(columns.labelField) : -1;
  const keyColumns = columns.joinKeys.map((k) => set.keys.get(k) as unknown[]);
  return (cells, line) => {
    keyIndexes.forEach((index, k) => keyColumns[k].push(cells[index]));
    const raw = cells[timeIndex] ?? '';
    const time = parseEventTime(/^\d+$/.test(raw) ? Number(raw) : raw);
    if (!time) throw new InvalidLabelSetError(`entitySource line ${line}: ${columns.timestampField} must be an ISO-8601 time with offset or epoch milliseconds, got ${JSON.stringify(raw)}`);
    set.timestamps.push(time);
    const label = labelIndex < 0 || !cells[labelIndex] ? null : cells[labelIndex];
    set.labels.push(labelValue(label === null ? null : csvLabel(label, columns.labelType), columns.labelType, `entitySource line ${line} ${columns.labelField}`));
  };
}

function csvLabel(text: string, type: LabelType): unknown {
  if (type === 'string') return text;
  if (type === 'bool') return text === 'true' ? true : text === 'false' ? false : text;
  return text.trim() === '' ? text : Number(text);
}

function labelValue(value: unknown, type: LabelType, where: string): LabelValue {
  if (value === undefined || value === null) return null;
  const ok =
    (type === 'float64' && typeof value === 'number' && Number.isFinite(value)) ||
    (type === 'int64' && typeof value === 'number' && Number.isSafeInteger(value)) ||
    (type === 'string' && typeof value === 'string') ||
    (type === 'bool' && typeof value === 'boolean');
  if (!ok) throw new InvalidLabelSetError(`${where}: expected a ${type} label, got ${JSON.stringify(value)}`);
  return value as LabelValue;
}
