import { Table, tableFromIPC } from 'apache-arrow';
import { readParquet, readSchema } from 'parquet-wasm';

/** Rows per Arrow batch when reading: a row group of ours in one batch, not parquet's default of 1024. */
const READ_BATCH_ROWS = 65536;

/**
 * A Parquet file (any writer's: ours, pyarrow's, pandas', DuckDB's) as an Apache Arrow table, read by parquet-wasm,
 * with only the `columns` asked for. A column the file lacks is named in the error with those it has.
 */
export function readParquetTable(bytes: Uint8Array, columns?: string[]): Table {
  let names: string[];
  try {
    names = tableFromIPC(readSchema(bytes).intoIPCStream()).schema.fields.map((f) => f.name);
  } catch (err) {
    throw new Error(`not a Parquet file: ${(err as Error).message}`);
  }
  for (const name of columns ?? []) {
    if (!names.includes(name)) throw new Error(`column ${name} is not in the file (it has ${names.join(', ')})`);
  }
  return tableFromIPC(readParquet(bytes, { ...(columns ? { columns } : {}), batchSize: READ_BATCH_ROWS }).intoIPCStream());
}
