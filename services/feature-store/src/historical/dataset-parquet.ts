import type { Writable } from 'node:stream';
import { ParquetColumnValues, ParquetStreamWriter } from '@mlops/ml';
import type { FeatureType } from '../definitions/feature-definitions';

export interface DatasetColumn {
  name: string;
  type: FeatureType | 'timestamp';
  optional: boolean;
}

const PARQUET_TYPES = { int64: 'int64', float64: 'double', string: 'string', bool: 'boolean', timestamp: 'timestamp-millis' } as const;

/** Fixed, so the bytes do not depend on how many rows each lookup chunk holds. */
const ROW_GROUP_ROWS = 65536;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Column types as recorded in the snapshot and the dataset-created event. */
export const datasetSchema = (columns: DatasetColumn[]) => columns.map((c) => ({ name: c.name, type: c.type }));

/** A value that does not fit its column; `row` counts from 0 within the batch. */
export class InvalidColumnValue extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

/** The writer's bytes depend only on the columns and rows: no time, no random ids, fixed row groups. */
export function openDatasetWriter(columns: DatasetColumn[], out: Writable): ParquetStreamWriter {
  return new ParquetStreamWriter(
    columns.map((c) => ({ name: c.name, type: PARQUET_TYPES[c.type], optional: c.optional })),
    out,
    { rowGroupRows: ROW_GROUP_ROWS, createdBy: 'mlops feature-store' },
  );
}

/** One column of `count` rows as the writer takes it; `valueAt` gives null or undefined for a null. */
export function columnValues(column: DatasetColumn, count: number, valueAt: (row: number) => unknown): ParquetColumnValues {
  const present = new Uint8Array(count);
  const invalid = (row: number, value: unknown) =>
    new InvalidColumnValue(row, `${column.name} must be ${column.type === 'timestamp' ? 'a time' : `a ${column.type}`}, got ${JSON.stringify(value)}`);
  const fill = <T>(values: { [row: number]: T }, convert: (value: unknown, row: number) => T) => {
    for (let row = 0; row < count; row++) {
      const value = valueAt(row);
      if (value === null || value === undefined) {
        if (!column.optional) throw new InvalidColumnValue(row, `${column.name} is missing`);
        continue;
      }
      values[row] = convert(value, row);
      present[row] = 1;
    }
  };
  switch (column.type) {
    case 'float64': {
      const values = new Float64Array(count);
      fill(values, (v, row) => (typeof v === 'number' ? v : throwing(invalid(row, v))));
      return { values, present };
    }
    case 'bool': {
      const values = new Uint8Array(count);
      fill(values, (v, row) => (typeof v === 'boolean' ? Number(v) : throwing(invalid(row, v))));
      return { values, present };
    }
    case 'string': {
      const values = new Array<string>(count);
      fill(values, (v, row) => (typeof v === 'string' ? v : throwing(invalid(row, v))));
      return { values, present };
    }
    case 'timestamp': {
      const values = new BigInt64Array(count);
      fill(values, (v, row) => (v instanceof Date && !Number.isNaN(v.getTime()) ? BigInt(v.getTime()) : throwing(invalid(row, v))));
      return { values, present };
    }
    case 'int64': {
      const values = new BigInt64Array(count);
      fill(values, (v, row) => {
        // Join keys from a CSV arrive as digit strings and may use the whole int64 range, beyond a double's precision.
        const int = Number.isSafeInteger(v) ? BigInt(v as number) : typeof v === 'string' && /^-?\d+$/.test(v) ? BigInt(v) : null;
        if (int === null || int < INT64_MIN || int > INT64_MAX) throw invalid(row, v);
        return int;
      });
      return { values, present };
    }
  }
}

function throwing(err: Error): never {
  throw err;
}
