import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Schema } from 'apache-arrow';
import { Compression, RecordBatch, Table, transformParquetStream, WriterPropertiesBuilder } from 'parquet-wasm';
import { arrowBatchIpc, arrowSchema, ColumnBuffer, ParquetColumn, ParquetColumnValues } from './parquet-columns';
import { RowGroupQueue } from './row-group-queue';

export type { ParquetColumn, ParquetColumnType, ParquetColumnValues } from './parquet-columns';

export interface ParquetWriterOptions {
  /** Rows per row group; every group but the last has exactly this many, whatever the batch sizes. */
  rowGroupRows?: number;
  createdBy?: string;
}

/**
 * A streaming Parquet writer for flat schemas, fed columns (typed arrays) rather than row objects, written by
 * parquet-wasm (the Apache Arrow project's Rust Parquet writer) from Apache Arrow record batches, Snappy
 * compressed. Rows are gathered into whole row groups before the library sees them, so the bytes depend only on
 * the schema, the rows and the options (and the locked library version), never on how the caller batched them.
 * At most one row group is held here and one in the library; a full one is written out before more is taken.
 */
export class ParquetStreamWriter {
  private readonly buffered: ColumnBuffer[];
  private readonly present: Uint8Array[];
  private readonly schema: Schema;
  private readonly queue = new RowGroupQueue();
  private readonly written: Promise<number>;
  private readonly rowGroupRows: number;
  private filled = 0;
  private rows = 0;
  private closed = false;

  constructor(
    private readonly columns: ParquetColumn[],
    private readonly out: Writable,
    options: ParquetWriterOptions = {},
  ) {
    if (columns.length === 0) throw new Error('a Parquet file needs at least one column');
    const names = new Set(columns.map((c) => c.name));
    if (names.size !== columns.length) throw new Error('column names must be unique');
    const rowGroupRows = options.rowGroupRows ?? 65536;
    if (!Number.isInteger(rowGroupRows) || rowGroupRows < 1) throw new Error(`rowGroupRows must be a positive integer, got ${rowGroupRows}`);
    this.rowGroupRows = rowGroupRows;
    this.schema = arrowSchema(columns);
    this.buffered = this.buffers(rowGroupRows);
    this.present = columns.map(() => new Uint8Array(rowGroupRows));
    const properties = new WriterPropertiesBuilder()
      .setCreatedBy(options.createdBy ?? 'mlops parquet writer')
      .setMaxRowGroupSize(rowGroupRows)
      .setCompression(Compression.SNAPPY)
      .build();
    this.written = transformParquetStream(this.queue.stream, properties).then((bytes) => this.copyOut(bytes));
    // A failure is reported by the next append or close; until then it must not count as unhandled.
    this.written.catch(() => undefined);
  }

  /** Appends `rows` rows given column by column, in the schema's column order. */
  async append(rows: number, data: ParquetColumnValues[]): Promise<void> {
    if (this.closed) throw new Error('the Parquet writer is closed');
    if (data.length !== this.columns.length) throw new Error(`expected ${this.columns.length} columns, got ${data.length}`);
    data.forEach((column, c) => this.check(c, column, rows));
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
    this.closed = true;
    // An empty file still needs one (empty) batch: the library takes the schema from it.
    if (this.filled > 0 || this.rows === 0) await this.flushRowGroup();
    await this.until(this.queue.end());
    const bytes = await this.written;
    this.out.end();
    await finished(this.out, { readable: false });
    return { rows: this.rows, bytes };
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
    const ipc = arrowBatchIpc(this.schema, this.columns, this.buffered, this.present, this.filled);
    const table = Table.fromIPCStream(ipc);
    const [batch] = table.recordBatches() as RecordBatch[];
    table.free();
    this.rows += this.filled;
    this.filled = 0;
    await this.until(this.queue.push(batch));
  }

  /** Waits for `step`, or fails as soon as writing the output does (the library then stops taking row groups). */
  private until(step: Promise<void>): Promise<void> {
    return Promise.race([step, this.written.then(() => undefined)]);
  }

  private async copyOut(bytes: ReadableStream<Uint8Array>): Promise<number> {
    let total = 0;
    for await (const chunk of bytes as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.length;
      if (!this.out.write(chunk)) await once(this.out, 'drain');
    }
    return total;
  }

  /** Reused from one row group to the next: a group is copied into Arrow buffers before the library sees it. */
  private buffers(n: number): ColumnBuffer[] {
    return this.columns.map(({ type }) => {
      if (type === 'double') return new Float64Array(n);
      if (type === 'boolean') return new Uint8Array(n);
      if (type === 'string') return new Array<string>(n);
      return new BigInt64Array(n);
    });
  }
}
