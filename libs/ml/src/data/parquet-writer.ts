import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import { ColumnChunkInfo, dataPageHeader, fileMetaData, ParquetColumn, RowGroupInfo } from './parquet-format';
import { encodeRleHybrid } from './rle-hybrid';

export type { ParquetColumn, ParquetColumnType } from './parquet-format';

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

export interface ParquetWriterOptions {
  /** Rows per row group; every group but the last has exactly this many, whatever the batch sizes. */
  rowGroupRows?: number;
  createdBy?: string;
}

const MAGIC = Buffer.from('PAR1', 'ascii');
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const MAX_PAGE_BYTES = 2 ** 31 - 1;

type Values = Float64Array | BigInt64Array | Uint8Array | (string | null | undefined)[];

/**
 * A streaming Parquet writer for flat schemas, fed columns (typed arrays) rather than row objects. Its bytes
 * depend only on the schema, the rows and the options (no time, no random ids), so the same rows give the
 * same file. At most one row group is held in memory; a full one is written out before more is taken.
 */
export class ParquetStreamWriter {
  private buffered: Values[];
  private present: Uint8Array[];
  private filled = 0;
  private offset = 0;
  private readonly rowGroups: RowGroupInfo[] = [];
  private readonly rowGroupRows: number;
  private readonly createdBy: string;
  private closed = false;

  constructor(
    private readonly columns: ParquetColumn[],
    private readonly out: Writable,
    options: ParquetWriterOptions = {},
  ) {
    if (columns.length === 0) throw new Error('a Parquet file needs at least one column');
    const names = new Set(columns.map((c) => c.name));
    if (names.size !== columns.length) throw new Error('column names must be unique');
    this.rowGroupRows = options.rowGroupRows ?? 65536;
    if (!Number.isInteger(this.rowGroupRows) || this.rowGroupRows < 1) throw new Error(`rowGroupRows must be a positive integer, got ${this.rowGroupRows}`);
    this.createdBy = options.createdBy ?? 'mlops parquet writer version 1.0.0';
    this.buffered = this.freshBuffers();
    this.present = columns.map(() => new Uint8Array(this.rowGroupRows));
  }

  /** Appends `rows` rows given column by column, in the schema's column order. */
  async append(rows: number, data: ParquetColumnValues[]): Promise<void> {
    if (this.closed) throw new Error('the Parquet writer is closed');
    if (data.length !== this.columns.length) throw new Error(`expected ${this.columns.length} columns, got ${data.length}`);
    data.forEach((column, c) => this.check(c, column, rows));
    if (this.offset === 0) await this.write([MAGIC]);
    let done = 0;
    while (done < rows) {
      const take = Math.min(rows - done, this.rowGroupRows - this.filled);
      data.forEach((column, c) => this.copy(c, column, done, take));
      this.filled += take;
      done += take;
      if (this.filled === this.rowGroupRows) await this.flushRowGroup();
    }
  }

  /** Writes what is buffered and the footer, ends the stream and waits until it has taken every byte. */
  async close(): Promise<{ rows: number; bytes: number }> {
    if (this.closed) throw new Error('the Parquet writer is closed');
    if (this.offset === 0) await this.write([MAGIC]);
    if (this.filled > 0) await this.flushRowGroup();
    this.closed = true;
    const footer = fileMetaData(this.columns, this.rowGroups, this.createdBy);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(footer.length);
    await this.write([footer, length, MAGIC]);
    this.out.end();
    await finished(this.out, { readable: false });
    return { rows: this.rowGroups.reduce((sum, g) => sum + g.rows, 0), bytes: this.offset };
  }

  private check(c: number, column: ParquetColumnValues, rows: number): void {
    const { name, type, optional } = this.columns[c];
    const expected = type === 'double' ? Float64Array : type === 'boolean' ? Uint8Array : type === 'string' ? Array : BigInt64Array;
    const ok = expected === Array ? Array.isArray(column.values) : column.values instanceof expected;
    if (!ok) throw new TypeError(`column ${name} (${type}) needs its values as ${expected.name}`);
    if (column.values.length < rows) throw new RangeError(`column ${name} has ${column.values.length} values for ${rows} rows`);
    if (column.present && column.present.length < rows) throw new RangeError(`column ${name} has ${column.present.length} presence flags for ${rows} rows`);
    if (!optional && column.present) {
      const missing = column.present.subarray(0, rows).indexOf(0);
      if (missing >= 0) throw new RangeError(`column ${name} is required but row ${missing} of the batch is null`);
    }
  }

  private copy(c: number, column: ParquetColumnValues, from: number, count: number): void {
    const into = this.buffered[c];
    if (Array.isArray(into)) {
      const source = column.values as readonly (string | null | undefined)[];
      for (let i = 0; i < count; i++) into[this.filled + i] = source[from + i];
    } else {
      (into as Float64Array).set((column.values as Float64Array).subarray(from, from + count), this.filled);
    }
    const present = this.present[c];
    if (column.present) present.set(column.present.subarray(from, from + count), this.filled);
    else present.fill(1, this.filled, this.filled + count);
  }

  private async flushRowGroup(): Promise<void> {
    const rows = this.filled;
    const chunks: ColumnChunkInfo[] = [];
    for (let c = 0; c < this.columns.length; c++) {
      const column = this.columns[c];
      const present = this.present[c];
      const levels = column.optional ? definitionLevels(present, rows) : null;
      const { bytes: values, nulls } = plainValues(column, this.buffered[c], present, rows);
      const pageBytes = (levels?.length ?? 0) + values.length;
      if (pageBytes > MAX_PAGE_BYTES) throw new RangeError(`column ${column.name}: a row group of ${rows} rows exceeds a page's 2 GiB; use smaller row groups`);
      const header = dataPageHeader(rows, pageBytes);
      chunks.push({ column, values: rows, nulls, bytes: header.length + pageBytes, dataPageOffset: this.offset });
      await this.write(levels ? [header, levels, values] : [header, values]);
    }
    this.rowGroups.push({ rows, chunks });
    // The written buffers may still sit in the stream's queue, so the next group gets new ones.
    this.buffered = this.freshBuffers();
    this.filled = 0;
  }

  private freshBuffers(): Values[] {
    return this.columns.map(({ type }) => {
      const n = this.rowGroupRows;
      if (type === 'double') return new Float64Array(n);
      if (type === 'boolean') return new Uint8Array(n);
      if (type === 'string') return new Array<string>(n);
      return new BigInt64Array(n);
    });
  }

  private async write(buffers: Buffer[]): Promise<void> {
    let drained = true;
    for (const buffer of buffers) {
      drained = this.out.write(buffer) && drained;
      this.offset += buffer.length;
    }
    if (!drained) await once(this.out, 'drain');
  }
}

/** Definition levels (1 = value, 0 = null) for a data page v1: a 4-byte little-endian length, then the runs. */
function definitionLevels(present: Uint8Array, rows: number): Buffer {
  const runs = encodeRleHybrid(present, rows, 1);
  const out = Buffer.alloc(4 + runs.length);
  out.writeUInt32LE(runs.length, 0);
  runs.copy(out, 4);
  return out;
}

function plainValues(column: ParquetColumn, values: Values, present: Uint8Array, rows: number): { bytes: Buffer; nulls: number } {
  let count = 0;
  for (let i = 0; i < rows; i++) count += present[i];
  const nulls = rows - count;
  if (column.type === 'string') return { bytes: plainStrings(values as (string | null | undefined)[], present, rows, count, column.name), nulls };
  if (column.type === 'boolean') return { bytes: plainBooleans(values as Uint8Array, present, rows, count), nulls };
  const dense = nulls === 0 ? (values as Float64Array | BigInt64Array).subarray(0, rows) : compact(values as Float64Array | BigInt64Array, present, rows, count);
  if (column.type === 'double') canonicalNaNs(dense as Float64Array);
  return { bytes: littleEndian8(dense), nulls };
}

function compact<T extends Float64Array | BigInt64Array>(values: T, present: Uint8Array, rows: number, count: number): T {
  const out = new (values.constructor as new (n: number) => T)(count);
  let j = 0;
  for (let i = 0; i < rows; i++) if (present[i]) out[j++] = values[i];
  return out;
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

function littleEndian8(values: Float64Array | BigInt64Array): Buffer {
  if (LITTLE_ENDIAN) return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const out = Buffer.alloc(values.byteLength);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0; i < values.length; i++) {
    if (values instanceof Float64Array) view.setFloat64(i * 8, values[i], true);
    else view.setBigInt64(i * 8, values[i], true);
  }
  return out;
}

/** BOOLEAN PLAIN: one bit per value, least significant bit first. */
function plainBooleans(values: Uint8Array, present: Uint8Array, rows: number, count: number): Buffer {
  const out = Buffer.alloc(Math.ceil(count / 8));
  let j = 0;
  for (let i = 0; i < rows; i++) {
    if (!present[i]) continue;
    if (values[i]) out[j >> 3] |= 1 << (j & 7);
    j++;
  }
  return out;
}

/** BYTE_ARRAY PLAIN: each value as a 4-byte little-endian length and its UTF-8 bytes. */
function plainStrings(values: (string | null | undefined)[], present: Uint8Array, rows: number, count: number, name: string): Buffer {
  let size = 4 * count;
  for (let i = 0; i < rows; i++) {
    if (!present[i]) continue;
    const value = values[i];
    if (typeof value !== 'string') throw new TypeError(`column ${name}: row ${i} of the row group is marked present but holds ${value === null ? 'null' : typeof value}`);
    size += Buffer.byteLength(value, 'utf8');
  }
  const out = Buffer.alloc(size);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    if (!present[i]) continue;
    const length = out.write(values[i] as string, at + 4, 'utf8');
    out.writeUInt32LE(length, at);
    at += 4 + length;
  }
  return out;
}
