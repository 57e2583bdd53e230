import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { InvalidTrainingData } from '../training/dataset';
import { readParquetDataset } from './parquet-dataset';
import { ParquetStreamWriter } from './parquet-writer';

// Parquet specs replace thrift's ESM-only uuid (see the stand-in for why).
jest.mock('../../../../node_modules/thrift/node_modules/uuid/dist-node/index.js', () => jest.requireActual('../test-support/uuid-stand-in'));

describe('readParquetDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-dataset-'));
  const path = join(dir, 'data.parquet');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    const schema = new ParquetSchema({
      amount: { type: 'DOUBLE', optional: true },
      visits: { type: 'INT64' },
      member: { type: 'BOOLEAN' },
      country: { type: 'UTF8' },
      label: { type: 'DOUBLE', optional: true },
      at: { type: 'TIMESTAMP_MILLIS' },
    });
    // small row groups so the reader has to stitch several
    const writer = await ParquetWriter.openFile(schema, path, { rowGroupSize: 2 });
    await writer.appendRow({ amount: 1.5, visits: 3n, member: true, country: 'fr', label: 1, at: new Date(1000) });
    await writer.appendRow({ visits: 4n, member: false, country: 'de', label: 0, at: new Date(2000) });
    await writer.appendRow({ amount: -2, visits: 5n, member: true, country: 'fr', label: 1, at: new Date(3000) });
    await writer.appendRow({ amount: 7, visits: 6n, member: false, country: 'it', at: new Date(4000) });
    await writer.close();
  });

  it('reads numeric, integer and boolean columns row-major, nulls as NaN', async () => {
    const data = await readParquetDataset(path, { featureColumns: ['amount', 'visits', 'member'], labelColumn: 'visits' });
    expect(data.features.rows).toBe(4);
    expect(data.features.featureNames).toEqual(['amount', 'visits', 'member']);
    expect([...data.features.values]).toEqual([1.5, 3, 1, NaN, 4, 0, -2, 5, 1, 7, 6, 0]);
    expect([...data.labels]).toEqual([3, 4, 5, 6]);
  });

  it('reads a timestamp column as epoch milliseconds', async () => {
    const data = await readParquetDataset(path, { featureColumns: ['amount'], labelColumn: 'visits', timestampColumn: 'at' });
    expect([...data.timestamps!]).toEqual([1000, 2000, 3000, 4000]);
  });

  it('refuses a null label with its row', async () => {
    await expect(readParquetDataset(path, { featureColumns: ['amount'], labelColumn: 'label' })).rejects.toThrow('label column label is null at row 3');
  });

  it('refuses a missing column and a non-numeric column by name', async () => {
    await expect(readParquetDataset(path, { featureColumns: ['nope'], labelColumn: 'visits' })).rejects.toThrow(/column nope is not in the file/);
    await expect(readParquetDataset(path, { featureColumns: ['country'], labelColumn: 'visits' })).rejects.toThrow(InvalidTrainingData);
  });

  it('reads what ParquetStreamWriter writes: several row groups, nulls as NaN, booleans, int64 and timestamps', async () => {
    const ours = join(dir, 'ours.parquet');
    const writer = new ParquetStreamWriter(
      [
        { name: 'id', type: 'int64', optional: false },
        { name: 'at', type: 'timestamp-millis', optional: false },
        { name: 'amount', type: 'double', optional: true },
        { name: 'member', type: 'boolean', optional: true },
        { name: 'country', type: 'string', optional: true },
      ],
      createWriteStream(ours),
      { rowGroupRows: 2 },
    );
    await writer.append(3, [
      { values: BigInt64Array.of(-5n, 0n, 2n ** 53n) },
      { values: BigInt64Array.of(-1000n, 0n, 1_790_000_000_000n) },
      { values: Float64Array.of(1.5, 0, -2), present: Uint8Array.of(1, 0, 1) },
      { values: Uint8Array.of(1, 0, 0), present: Uint8Array.of(1, 1, 0) },
      { values: ['fr', '', 'de'] },
    ]);
    await writer.close();
    const data = await readParquetDataset(ours, { featureColumns: ['amount', 'member'], labelColumn: 'id', timestampColumn: 'at' });
    expect([...data.features.values]).toEqual([1.5, 1, NaN, 0, -2, NaN]);
    expect([...data.labels]).toEqual([-5, 0, 2 ** 53]);
    expect([...data.timestamps!]).toEqual([-1000, 0, 1_790_000_000_000]);
  });
});
