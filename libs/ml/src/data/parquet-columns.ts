import {
  Bool,
  DataType,
  Field,
  Float64,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';

export type ParquetColumnType = 'int64' | 'double' | 'boolean' | 'string' | 'timestamp-millis';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  optional: boolean;
}

/**
 * One column of a batch of rows, by type: `double` a Float64Array, `int64` and `timestamp-millis` (epoch
 * milliseconds) a BigInt64Array, `boolean` a Uint8Array of 0/1, `string` an array of strings. Where
 * `present[i]` is 0 row i is null and `values[i]` is not read; without `present` every row has a value.
 * A NaN double is a value, not a null (written as the canonical quiet NaN, so the bytes stay the same).
 */
export interface ParquetColumnValues {
  values: Float64Array | BigInt64Array | Uint8Array | readonly (string | null | undefined)[];
  present?: Uint8Array;
}

export type ColumnBuffer = Float64Array | BigInt64Array | Uint8Array | (string | null | undefined)[];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Timestamps are instants (Parquet's isAdjustedToUTC), which pandas, pyarrow and DuckDB read as UTC times. */
function arrowType(type: ParquetColumnType): DataType {
  if (type === 'double') return new Float64();
  if (type === 'int64') return new Int64();
  if (type === 'boolean') return new Bool();
  if (type === 'string') return new Utf8();
  return new TimestampMillisecond('UTC');
}

export function arrowSchema(columns: ParquetColumn[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, arrowType(c.type), c.optional)));
}

/**
 * The first `rows` buffered rows as one Arrow record batch in the IPC stream format, which parquet-wasm takes.
 * Nulls only clear a validity bit; the slot under a null is zeroed so no stale value can reach the bytes.
 */
export function arrowBatchIpc(schema: Schema, columns: ParquetColumn[], buffers: ColumnBuffer[], present: Uint8Array[], rows: number): Uint8Array {
  const children = columns.map((column, c) => {
    const validity = packBits(present[c], rows);
    const nullCount = rows - countSet(present[c], rows);
    const common = { type: arrowType(column.type), length: rows, nullCount, nullBitmap: nullCount > 0 ? validity : null };
    const buffer = buffers[c];
    if (column.type === 'string') {
      const { offsets, bytes } = utf8Column(column.name, buffer as (string | null | undefined)[], present[c], rows);
      return makeData({ ...common, type: new Utf8(), valueOffsets: offsets, data: bytes });
    }
    if (column.type === 'boolean') return makeData({ ...common, type: new Bool(), data: packBits(maskedBooleans(buffer as Uint8Array, present[c], rows), rows) });
    if (column.type === 'double') {
      const values = (buffer as Float64Array).slice(0, rows);
      zeroNulls(values, present[c], rows);
      canonicalNaNs(values);
      return makeData({ ...common, type: new Float64(), data: values });
    }
    const values = (buffer as BigInt64Array).slice(0, rows);
    zeroNulls(values, present[c], rows);
    return column.type === 'int64'
      ? makeData({ ...common, type: new Int64(), data: values })
      : makeData({ ...common, type: new TimestampMillisecond('UTC'), data: values });
  });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children }));
  return tableToIPC(new Table(schema, [batch]), 'stream');
}

function countSet(flags: Uint8Array, rows: number): number {
  let count = 0;
  for (let i = 0; i < rows; i++) count += flags[i];
  return count;
}

/** Arrow's bit-packed form: least significant bit first. */
function packBits(flags: Uint8Array, rows: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(rows / 8));
  for (let i = 0; i < rows; i++) if (flags[i]) out[i >> 3] |= 1 << (i & 7);
  return out;
}

function maskedBooleans(values: Uint8Array, present: Uint8Array, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) out[i] = present[i] && values[i] ? 1 : 0;
  return out;
}

function zeroNulls(values: Float64Array | BigInt64Array, present: Uint8Array, rows: number): void {
  const zero = values instanceof BigInt64Array ? 0n : 0;
  for (let i = 0; i < rows; i++) if (!present[i]) values[i] = zero;
}

/** NaN has many bit patterns; one is chosen so that equal rows always give equal bytes. */
function canonicalNaNs(values: Float64Array): void {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const high = LITTLE_ENDIAN ? 1 : 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[i]) {
      words[2 * i + high] = 0x7ff80000;
      words[2 * i + 1 - high] = 0;
    }
  }
}

function utf8Column(name: string, values: (string | null | undefined)[], present: Uint8Array, rows: number): { offsets: Int32Array; bytes: Uint8Array } {
  const offsets = new Int32Array(rows + 1);
  let size = 0;
  for (let i = 0; i < rows; i++) {
    if (present[i]) {
      const value = values[i];
      if (typeof value !== 'string') throw new TypeError(`column ${name}: row ${i} of the row group is marked present but holds ${value === null ? 'null' : typeof value}`);
      size += Buffer.byteLength(value, 'utf8');
    }
    offsets[i + 1] = size;
  }
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < rows; i++) if (present[i]) bytes.write(values[i] as string, offsets[i], 'utf8');
  return { offsets, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
