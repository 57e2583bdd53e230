import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { openMigratedDataSource } from '@mlops/service-kit';
import type { FeatureRow } from '../ingestion/record-validator';
import { featureStoreMigrations } from '../migrations';
import { FeatureWriter } from './feature-writer';
import { HistoryPartitions } from './history-partitions';

describe('FeatureWriter (Postgres)', () => {
  const config = loadPlatformConfig('feature-store', localCredentials('feature-store'));
  let dataSource: DataSource;
  let writer: FeatureWriter;

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(config, featureStoreMigrations);
    writer = new FeatureWriter(dataSource, new HistoryPartitions(dataSource));
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  const uniqueView = () => `writer_${randomUUID().slice(0, 8)}`;
  const hashOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const row = (viewName: string, entityKey: string, at: string, n: number, values: FeatureRow['values'] = { n }): FeatureRow => ({
    viewName,
    viewVersion: 1,
    entityKey,
    eventTime: new Date(at),
    recordHash: hashOf(n),
    values,
  });

  async function history(view: string): Promise<{ entity_key: string; record_hash: string; values: unknown }[]> {
    return dataSource.query(
      'SELECT entity_key, record_hash, "values" FROM feature_store.offline_history WHERE view_name = $1 ORDER BY entity_key, event_time, record_hash',
      [view],
    );
  }

  async function online(view: string): Promise<Record<string, { hash: string; values: unknown; writtenAt: Date }>> {
    const rows: { entity_key: string; record_hash: string; values: unknown; written_at: Date }[] = await dataSource.query(
      'SELECT entity_key, record_hash, "values", written_at FROM feature_store.online_values WHERE view_name = $1',
      [view],
    );
    return Object.fromEntries(rows.map((r) => [r.entity_key, { hash: r.record_hash, values: r.values, writtenAt: r.written_at }]));
  }

  it('appends every row to the history and keeps the newest per entity online, within one batch too', async () => {
    const view = uniqueView();
    await writer.write([
      row(view, 'a', '2026-01-01T00:00:00Z', 1),
      row(view, 'a', '2026-03-01T00:00:00Z', 2),
      row(view, 'a', '2026-02-01T00:00:00Z', 3),
      row(view, 'b', '2026-02-01T00:00:00Z', 5),
      row(view, 'b', '2026-02-01T00:00:00Z', 4),
    ]);
    expect((await history(view)).map((r) => r.record_hash)).toEqual([hashOf(1), hashOf(3), hashOf(2), hashOf(4), hashOf(5)]);
    const stored = await online(view);
    expect(stored.a.hash).toBe(hashOf(2));
    // Same event time: the higher record hash wins, whatever the order in the batch.
    expect(stored.b.hash).toBe(hashOf(5));
  });

  it('adds nothing and changes nothing when a batch is written again, and never moves an online value back', async () => {
    const view = uniqueView();
    const batch = [row(view, 'a', '2026-01-05T00:00:00Z', 1), row(view, 'b', '2026-01-05T00:00:00Z', 2)];
    await writer.write(batch);
    const before = await online(view);
    await writer.write(batch);
    await writer.write([row(view, 'a', '2026-01-01T00:00:00Z', 3)]);
    expect((await history(view)).map((r) => r.record_hash)).toEqual([hashOf(3), hashOf(1), hashOf(2)]);
    expect(await online(view)).toEqual(before);
  });

  it('stores keys and values with quotes, backslashes, braces, commas and non-ASCII text exactly', async () => {
    const view = uniqueView();
    const key = 'k "1", {x}\\ é\u00e9 ✓';
    const values = { s: 'a"b\\c,{d}\n', n: 1.5, b: true, z: null };
    await writer.write([row(view, key, '2026-01-01T00:00:00Z', 1, values)]);
    expect(await history(view)).toEqual([{ entity_key: key, record_hash: hashOf(1), values }]);
    expect((await online(view))[key].values).toEqual(values);
  });

  it('lets concurrent batches over the same entities in opposite orders finish without a deadlock', async () => {
    const view = uniqueView();
    const keys = Array.from({ length: 500 }, (_, i) => `e${i}`);
    const batch = (order: string[], offset: number) => order.map((k, i) => row(view, k, '2026-01-01T00:00:00Z', offset + i));
    await Promise.all([writer.write(batch(keys, 0)), writer.write(batch([...keys].reverse(), 1000)), writer.write(batch(keys, 2000))]);
    const stored = await online(view);
    expect(Object.keys(stored)).toHaveLength(500);
    // Equal event times everywhere, so the highest hash (the third batch) is the one kept.
    expect(stored.e0.hash).toBe(hashOf(2000));
    expect((await history(view)).length).toBe(1500);
  });
});
