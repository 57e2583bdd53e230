import { Writable } from 'node:stream';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { readParquetRows } from './parquet-rows';
import { readParquetTable } from './parquet-table';
import { ParquetColumn, ParquetColumnValues, ParquetStreamWriter } from './parquet-writer';

class Collect extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
  bytes = () => Buffer.concat(this.chunks);
}

async function write(columns: ParquetColumn[], batches: [number, ParquetColumnValues[]][], rowGroupRows?: number): Promise<Buffer> {
  const out = new Collect();
  const writer = new ParquetStreamWriter(columns, out, { rowGroupRows });
  for (const [rows, data] of batches) await writer.append(rows, data);
  const { bytes } = await writer.close();
  expect(bytes).toBe(out.bytes().length);
  return out.bytes();
}

const SCHEMA: ParquetColumn[] = [
  { name: 'id', type: 'int64', optional: false },
  { name: 'at', type: 'timestamp-millis', optional: false },
  { name: 'x', type: 'double', optional: true },
  { name: 'ok', type: 'boolean', optional: true },
  { name: 's', type: 'string', optional: true },
];

function rows(from: number, to: number): [number, ParquetColumnValues[]] {
  const n = to - from;
  const index = (i: number) => from + i;
  return [
    n,
    [
      { values: BigInt64Array.from({ length: n }, (_, i) => BigInt(index(i)) * 1_000_000_007n) },
      { values: BigInt64Array.from({ length: n }, (_, i) => 1_700_000_000_000n + BigInt(index(i))) },
      { values: Float64Array.from({ length: n }, (_, i) => index(i) / 3), present: Uint8Array.from({ length: n }, (_, i) => (index(i) % 3 ? 1 : 0)) },
      { values: Uint8Array.from({ length: n }, (_, i) => index(i) % 2), present: Uint8Array.from({ length: n }, (_, i) => (index(i) % 5 ? 1 : 0)) },
      { values: Array.from({ length: n }, (_, i) => `s${index(i)}é`), present: Uint8Array.from({ length: n }, (_, i) => (index(i) % 7 ? 1 : 0)) },
    ],
  ];
}

const rowGroupSizes = (bytes: Buffer, groups: number) =>
  Array.from({ length: groups }, (_, g) => tableFromIPC(readParquet(bytes, { rowGroups: [g] }).intoIPCStream()).numRows);

describe('ParquetStreamWriter', () => {
  it('writes every type with its nulls, int64 beyond a double and UTF-8 strings, read back by another reader', async () => {
    const bytes = await write(SCHEMA, [
      [
        3,
        [
          { values: BigInt64Array.of(-5n, 0n, 2n ** 62n) },
          { values: BigInt64Array.of(-1000n, 0n, 1_790_000_000_000n) },
          { values: Float64Array.of(1.5, 99, -2), present: Uint8Array.of(1, 0, 1) },
          { values: Uint8Array.of(1, 0, 1), present: Uint8Array.of(1, 1, 0) },
          { values: ['fr', 'é', 'unused'], present: Uint8Array.of(1, 1, 0) },
        ],
      ],
    ]);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('PAR1');
    expect(readParquetRows(bytes)).toEqual([
      { id: -5n, at: new Date(-1000), x: 1.5, ok: true, s: 'fr' },
      { id: 0n, at: new Date(0), x: null, ok: false, s: 'é' },
      { id: 2n ** 62n, at: new Date(1_790_000_000_000), x: -2, ok: null, s: null },
    ]);
    const fields = readParquetTable(bytes).schema.fields;
    expect(fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
      ['id', 'Int64', false],
      ['at', 'Timestamp<MILLISECOND, UTC>', false],
      ['x', 'Float64', true],
      ['ok', 'Bool', true],
      ['s', 'Utf8', true],
    ]);
  });

  it('cuts row groups of exactly the size asked, however the rows were batched', async () => {
    const bytes = await write(SCHEMA, [rows(0, 1), rows(1, 300), rows(300, 555), rows(555, 600)], 256);
    expect(rowGroupSizes(bytes, 3)).toEqual([256, 256, 88]);
  });

  it('gives the same bytes for the same rows however they are batched, and different bytes for different rows', async () => {
    const once = await write(SCHEMA, [rows(0, 1000)], 256);
    const again = await write(SCHEMA, [rows(0, 1000)], 256);
    const batched = await write(SCHEMA, [rows(0, 1), rows(1, 300), rows(300, 555), rows(555, 1000)], 256);
    expect(again.equals(once)).toBe(true);
    expect(batched.equals(once)).toBe(true);
    const other = await write(SCHEMA, [rows(0, 999), rows(1000, 1001)], 256);
    expect(other.equals(once)).toBe(false);
  });

  it('writes every NaN with one bit pattern, and what sits under a null does not matter', async () => {
    const payload = new Float64Array(2);
    new Uint32Array(payload.buffer).set([1, 0x7ff00000, 7, 7]); // a signalling NaN with a payload, then junk under a null
    const column: ParquetColumn[] = [{ name: 'v', type: 'double', optional: true }];
    const a = await write(column, [[2, [{ values: Float64Array.of(NaN, 0), present: Uint8Array.of(1, 0) }]]]);
    const b = await write(column, [[2, [{ values: payload, present: Uint8Array.of(1, 0) }]]]);
    expect(b.equals(a)).toBe(true);
    expect(readParquetRows(a)).toEqual([{ v: NaN }, { v: null }]);
  });

  it('writes a file with its schema and no rows', async () => {
    const bytes = await write(SCHEMA, []);
    expect(readParquetTable(bytes).schema.fields.map((f) => f.name)).toEqual(['id', 'at', 'x', 'ok', 's']);
    expect(readParquetRows(bytes)).toEqual([]);
  });

  it('fails, rather than waits, when the output stream fails', async () => {
    const out = new Writable({ write: (_chunk, _encoding, done) => done(new Error('disk full')) });
    out.on('error', () => undefined);
    const writer = new ParquetStreamWriter(SCHEMA, out, { rowGroupRows: 10 });
    const writing = (async () => {
      for (let start = 0; start < 1000; start += 10) await writer.append(10, rows(start, start + 10)[1]);
      await writer.close();
    })();
    await expect(writing).rejects.toThrow('disk full');
  });

  it('refuses values of the wrong kind, too few values, nulls in a required column and use after close', async () => {
    const writer = () => new ParquetStreamWriter(SCHEMA.slice(0, 2), new Collect());
    const at = { values: BigInt64Array.of(1n) };
    await expect(writer().append(1, [{ values: Float64Array.of(1) }, at])).rejects.toThrow('column id (int64) needs its values as BigInt64Array');
    await expect(writer().append(2, [{ values: BigInt64Array.of(1n) }, at])).rejects.toThrow('column id has 1 values for 2 rows');
    await expect(writer().append(1, [{ values: BigInt64Array.of(1n), present: Uint8Array.of(0) }, at])).rejects.toThrow('column id is required but row 0 of the batch is null');
    await expect(writer().append(1, [at])).rejects.toThrow('expected 2 columns, got 1');
    const closed = writer();
    await closed.close();
    await expect(closed.append(1, [at, at])).rejects.toThrow('closed');
    expect(() => new ParquetStreamWriter([], new Collect())).toThrow('at least one column');
  });
});
