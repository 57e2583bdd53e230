import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { InvalidTrainingData } from '../training/dataset';
import { readParquetDataset } from './parquet-dataset';

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
});
