import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidTrainingData } from '../training/dataset';
import { readParquetDataset } from './parquet-dataset';
import { ParquetStreamWriter } from './parquet-writer';

describe('readParquetDataset', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-dataset-'));
  const path = join(dir, 'data.parquet');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeAll(async () => {
    // row groups of 2, so the reader has to stitch several
    const writer = new ParquetStreamWriter(
      [
        { name: 'amount', type: 'double', optional: true },
        { name: 'visits', type: 'int64', optional: false },
        { name: 'member', type: 'boolean', optional: false },
        { name: 'country', type: 'string', optional: false },
        { name: 'label', type: 'double', optional: true },
        { name: 'at', type: 'timestamp-millis', optional: false },
      ],
      createWriteStream(path),
      { rowGroupRows: 2 },
    );
    await writer.append(4, [
      { values: Float64Array.of(1.5, 0, -2, 7), present: Uint8Array.of(1, 0, 1, 1) },
      { values: BigInt64Array.of(3n, 4n, 5n, 2n ** 53n) },
      { values: Uint8Array.of(1, 0, 1, 0) },
      { values: ['fr', 'de', 'fr', 'it'] },
      { values: Float64Array.of(1, 0, 1, 0), present: Uint8Array.of(1, 1, 1, 0) },
      { values: BigInt64Array.of(-1000n, 0n, 3000n, 1_790_000_000_000n) },
    ]);
    await writer.close();
  });

  it('reads numeric, integer and boolean columns row-major, nulls as NaN', async () => {
    const data = await readParquetDataset(path, { featureColumns: ['amount', 'visits', 'member'], labelColumn: 'visits' });
    expect(data.features.rows).toBe(4);
    expect(data.features.featureNames).toEqual(['amount', 'visits', 'member']);
    expect([...data.features.values]).toEqual([1.5, 3, 1, NaN, 4, 0, -2, 5, 1, 7, 2 ** 53, 0]);
    expect([...data.labels]).toEqual([3, 4, 5, 2 ** 53]);
  });

  it('reads a timestamp column as epoch milliseconds, from a buffer as from a path', async () => {
    const data = await readParquetDataset(readFileSync(path), { featureColumns: ['amount'], labelColumn: 'visits', timestampColumn: 'at' });
    expect([...data.timestamps!]).toEqual([-1000, 0, 3000, 1_790_000_000_000]);
  });

  it('refuses a null label with its row', async () => {
    await expect(readParquetDataset(path, { featureColumns: ['amount'], labelColumn: 'label' })).rejects.toThrow('label column label is null at row 3');
  });

  it('refuses a missing column, a non-numeric column and a file that is not Parquet, by name', async () => {
    await expect(readParquetDataset(path, { featureColumns: ['nope'], labelColumn: 'visits' })).rejects.toThrow(
      'column nope is not in the file (it has amount, visits, member, country, label, at)',
    );
    await expect(readParquetDataset(path, { featureColumns: ['country'], labelColumn: 'visits' })).rejects.toThrow(
      new InvalidTrainingData('column country holds Utf8 values; features and labels must be numeric'),
    );
    await expect(readParquetDataset(Buffer.from('a,b\n1,2\n'), { featureColumns: ['a'], labelColumn: 'b' })).rejects.toThrow('invalid training data: not a Parquet file: Parquet error: Invalid Parquet file. Corrupt footer');
  });
});
