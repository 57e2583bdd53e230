import { Writable } from 'node:stream';
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
  await writer.close();
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

describe('ParquetStreamWriter', () => {
  it('writes the magic, one DATA_PAGE v1 per column chunk, the footer and its length', async () => {
    const bytes = await write([{ name: 'v', type: 'double', optional: false }], [[1, [{ values: Float64Array.of(1) }]]]);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('PAR1');
    expect(bytes.subarray(-4).toString('ascii')).toBe('PAR1');
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    expect(4 + 17 + 8 + footerLength + 8).toBe(bytes.length);
    // PageHeader: type DATA_PAGE 0, sizes 8 and 8, data_page_header { 1 value, PLAIN, RLE, RLE }
    expect(bytes.subarray(4, 21).toString('hex')).toBe('1500' + '1510' + '1510' + '2c' + '1502' + '1500' + '1506' + '1506' + '00' + '00');
    expect(bytes.readDoubleLE(21)).toBe(1);
  });

  it('puts RLE definition levels with their 4-byte length before the present values of an optional column', async () => {
    const bytes = await write([{ name: 'v', type: 'double', optional: true }], [[3, [{ values: Float64Array.of(1.5, 99, 2), present: Uint8Array.of(1, 0, 1) }]]]);
    const page = bytes.subarray(4 + 17, 4 + 17 + 22);
    // levels: length 2, one bit-packed group (03) of 1,0,1 -> 0b101; then only 1.5 and 2
    expect(page.subarray(0, 6).toString('hex')).toBe('02000000' + '0305');
    expect([page.readDoubleLE(6), page.readDoubleLE(14)]).toEqual([1.5, 2]);
  });

  it('packs booleans one bit each and writes strings with a 4-byte length', async () => {
    const bytes = await write(
      [
        { name: 'b', type: 'boolean', optional: false },
        { name: 's', type: 'string', optional: false },
      ],
      [[3, [{ values: Uint8Array.of(1, 0, 1) }, { values: ['a', 'é', ''] }]]],
    );
    const header = 4;
    // the boolean page: its header declares 1 byte, which holds 0b101
    const boolPageHeaderLength = 17;
    expect(bytes[header + boolPageHeaderLength]).toBe(0b101);
    const strings = bytes.subarray(header + boolPageHeaderLength + 1 + 17, header + boolPageHeaderLength + 1 + 17 + 15);
    expect(strings.toString('hex')).toBe('01000000' + '61' + '02000000' + 'c3a9' + '00000000');
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

  it('writes every NaN with one bit pattern', async () => {
    const quiet = Float64Array.of(NaN);
    const payload = new Float64Array(1);
    new Uint32Array(payload.buffer).set([1, 0x7ff00000]); // a signalling NaN with a payload
    const column: ParquetColumn[] = [{ name: 'v', type: 'double', optional: false }];
    const a = await write(column, [[1, [{ values: quiet }]]]);
    const b = await write(column, [[1, [{ values: payload }]]]);
    expect(b.equals(a)).toBe(true);
    expect(a.subarray(21, 29).toString('hex')).toBe('000000000000f87f');
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
