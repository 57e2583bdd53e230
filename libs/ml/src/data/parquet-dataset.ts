import { InvalidTrainingData, LabeledDataset } from '../training/dataset';

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
 * Reads numeric feature columns and a label column of a Parquet file into a row-major dataset. Columns are
 * decoded a row group at a time (not row objects), which keeps a million-row file to seconds. Null
 * features become NaN (missing); a null label or timestamp is refused. Booleans read as 0/1, INT64 as
 * numbers, timestamps as epoch milliseconds.
 */
export async function readParquetDataset(source: string | Buffer, columns: ParquetDatasetColumns): Promise<ParquetDataset> {
  // Loaded on first use: parquetjs pulls in an ESM-only dependency that CommonJS test runtimes cannot load,
  // and most users of this library never read Parquet.
  const { ParquetReader } = await import('@dsnp/parquetjs');
  const reader = typeof source === 'string' ? await ParquetReader.openFile(source) : await ParquetReader.openBuffer(source);
  try {
    const schema = reader.getSchema();
    const wanted = [...columns.featureColumns, columns.labelColumn, ...(columns.timestampColumn ? [columns.timestampColumn] : [])];
    for (const name of wanted) {
      if (!schema.fields[name]) throw new InvalidTrainingData(`column ${name} is not in the file (it has ${Object.keys(schema.fields).join(', ')})`);
    }
    const rows = Number(reader.getRowCount());
    const cols = columns.featureColumns.length;
    const values = new Float64Array(rows * cols);
    const labels = new Float64Array(rows);
    const timestamps = columns.timestampColumn ? new Float64Array(rows) : undefined;
    const envelope = reader.envelopeReader!;
    let offset = 0;
    for (const rowGroup of reader.metadata!.row_groups) {
      const buffer = await envelope.readRowGroup(schema, rowGroup, wanted.map((name) => [name]));
      const count = Number(buffer.rowCount);
      columns.featureColumns.forEach((name, c) => {
        const column = decodeColumn(name, buffer.columnData![name], schema.fields[name].dLevelMax, count);
        for (let i = 0; i < count; i++) values[(offset + i) * cols + c] = column[i];
      });
      const readRequired = (name: string, into: Float64Array, what: string) => {
        const column = decodeColumn(name, buffer.columnData![name], schema.fields[name].dLevelMax, count);
        for (let i = 0; i < count; i++) {
          if (Number.isNaN(column[i])) throw new InvalidTrainingData(`${what} column ${name} is null at row ${offset + i}`);
          into[offset + i] = column[i];
        }
      };
      readRequired(columns.labelColumn, labels, 'label');
      if (columns.timestampColumn && timestamps) readRequired(columns.timestampColumn, timestamps, 'timestamp');
      offset += count;
    }
    return { features: { rows, cols, values, featureNames: [...columns.featureColumns] }, labels, ...(timestamps ? { timestamps } : {}) };
  } finally {
    await reader.close();
  }
}

function decodeColumn(name: string, page: { dlevels?: number[]; values?: unknown[] } | undefined, dLevelMax: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const present = page?.values ?? [];
  const dlevels = page?.dlevels ?? [];
  let next = 0;
  for (let i = 0; i < count; i++) {
    // a definition level below the maximum is a null in an optional column
    if (dLevelMax > 0 && dlevels[i] < dLevelMax) {
      out[i] = NaN;
      continue;
    }
    out[i] = toNumber(name, present[next++]);
  }
  return out;
}

function toNumber(name: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  throw new InvalidTrainingData(`column ${name} holds ${typeof value} values; features and labels must be numeric`);
}
