import { readFile } from 'node:fs/promises';
import { Data, Precision, Table, TimeUnit, Type } from 'apache-arrow';
import { InvalidTrainingData, LabeledDataset } from '../training/dataset';
import { readParquetTable } from './parquet-table';

export interface ParquetDatasetColumns {
  featureColumns: string[];
  labelColumn: string;
  /** Read as epoch milliseconds into `timestamps`, e.g. for a time-based holdout. */
  timestampColumn?: string;
}

export interface ParquetDataset extends LabeledDataset {
  timestamps?: Float64Array;
}

/**
 * Reads numeric feature columns and a label column of a Parquet file into a row-major dataset, through Apache
 * Arrow columns (never row objects). Null features become NaN (missing); a null label or timestamp is refused.
 * Booleans read as 0/1, integers as numbers, timestamps and dates as epoch milliseconds.
 */
export async function readParquetDataset(source: string | Buffer, columns: ParquetDatasetColumns): Promise<ParquetDataset> {
  const bytes = typeof source === 'string' ? await readFile(source) : source;
  const wanted = [...new Set([...columns.featureColumns, columns.labelColumn, ...(columns.timestampColumn ? [columns.timestampColumn] : [])])];
  const table = readTable(bytes, wanted);
  const rows = table.numRows;
  const cols = columns.featureColumns.length;
  const values = new Float64Array(rows * cols);
  columns.featureColumns.forEach((name, c) => {
    const column = numericColumn(table, name);
    for (let i = 0; i < rows; i++) values[i * cols + c] = column[i];
  });
  const required = (name: string, what: string) => {
    const column = numericColumn(table, name);
    const missing = column.findIndex(Number.isNaN);
    if (missing >= 0) throw new InvalidTrainingData(`${what} column ${name} is null at row ${missing}`);
    return column;
  };
  const labels = required(columns.labelColumn, 'label');
  const timestamps = columns.timestampColumn ? required(columns.timestampColumn, 'timestamp') : undefined;
  return { features: { rows, cols, values, featureNames: [...columns.featureColumns] }, labels, ...(timestamps ? { timestamps } : {}) };
}

function readTable(bytes: Uint8Array, wanted: string[]): Table {
  try {
    return readParquetTable(bytes, wanted);
  } catch (err) {
    throw new InvalidTrainingData((err as Error).message);
  }
}

const MS_PER_UNIT: Record<TimeUnit, number> = { [TimeUnit.SECOND]: 1000, [TimeUnit.MILLISECOND]: 1, [TimeUnit.MICROSECOND]: 1e-3, [TimeUnit.NANOSECOND]: 1e-6 };

/** One column as doubles, nulls as NaN, chunk by chunk from Arrow's buffers. */
function numericColumn(table: Table, name: string): Float64Array {
  const vector = table.getChild(name)!;
  const out = new Float64Array(table.numRows);
  let at = 0;
  for (const data of vector.data as Data[]) {
    const read = reader(name, data);
    for (let i = 0; i < data.length; i++) out[at + i] = data.nullCount > 0 && !data.getValid(i) ? NaN : read(i);
    at += data.length;
  }
  return out;
}

function reader(name: string, data: Data): (i: number) => number {
  const values = data.values as ArrayLike<number | bigint>;
  const type = data.type as { precision?: number; unit?: number };
  if (data.typeId === Type.Int || (data.typeId === Type.Float && type.precision !== Precision.HALF)) return (i) => Number(values[i]);
  if (data.typeId === Type.Bool) return (i) => ((values[(data.offset + i) >> 3] as number) >> ((data.offset + i) & 7)) & 1;
  if (data.typeId === Type.Timestamp) {
    const scale = MS_PER_UNIT[type.unit as TimeUnit];
    return (i) => Number(values[i]) * scale;
  }
  throw new InvalidTrainingData(`column ${name} holds ${String(data.type)} values; features and labels must be numeric`);
}
