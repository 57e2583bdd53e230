import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import type { Writable } from 'node:stream';
import type { FeatureType } from '../definitions/feature-definitions';

export interface DatasetColumn {
  name: string;
  type: FeatureType | 'timestamp';
  optional: boolean;
}

const PARQUET_TYPES = { int64: 'INT64', float64: 'DOUBLE', string: 'UTF8', bool: 'BOOLEAN', timestamp: 'TIMESTAMP_MILLIS' } as const;

/** Column types as recorded in the snapshot and the dataset-created event. */
export const datasetSchema = (columns: DatasetColumn[]) => columns.map((c) => ({ name: c.name, type: c.type }));

/**
 * A Parquet writer whose output depends only on the rows: @dsnp/parquetjs writes a fixed `created_by` and no
 * time, and the column order is the order given here, so the same rows give the same bytes.
 */
export async function openDatasetWriter(columns: DatasetColumn[], out: Writable): Promise<ParquetWriter> {
  const schema = new ParquetSchema(
    Object.fromEntries(columns.map((c) => [c.name, { type: PARQUET_TYPES[c.type], optional: c.optional }])),
  );
  // The writer only calls write(chunk, callback) and end(callback), which every Writable has.
  return ParquetWriter.openStream(schema, out as unknown as Parameters<typeof ParquetWriter.openStream>[1], { rowGroupSize: 65536 });
}
