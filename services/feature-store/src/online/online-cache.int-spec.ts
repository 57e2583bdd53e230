import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadPlatformConfig, localCredentials } from '@mlops/config';
import { JsonLogger } from '@mlops/observability';
import { openMigratedDataSource } from '@mlops/service-kit';
import { freePort, getJson, ServiceProcess, testAuth, waitFor } from '@mlops/testing';
import type { FeatureRow } from '../ingestion/record-validator';
import { featureStoreMigrations } from '../migrations';
import { FeatureWriter } from '../storage/feature-writer';
import { HistoryPartitions } from '../storage/history-partitions';
import { OnlineChangeListener } from './online-change.listener';
import { OnlineValueCache, pairKey } from './online-value.cache';
import { OnlineValueStore } from './online-value.store';
import { Registry } from 'prom-client';

const HOUR_MS = 3600 * 1000;

/**
 * The online cache against real Postgres: values are written by this test process through the FeatureWriter (a
 * connection of its own, as another replica or a backfill would), read through service processes with the cache on
 * and off, and through the store directly to cut the LISTEN connection.
 */
describe('online cache (Postgres, service processes)', () => {
  const config = loadPlatformConfig('feature-store', localCredentials('feature-store'));
  const entity = `cust_${randomUUID().slice(0, 8)}`;
  const view = `cache_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let writer: FeatureWriter;
  let cached: ServiceProcess;
  let uncached: ServiceProcess;
  let n = 0;

  const start = async (entries: string) => {
    const service = await ServiceProcess.start('feature-store', {
      MLOPS_HTTP_PORT: String(await freePort()),
      MLOPS_FEATURE_STORE_GRPC_PORT: '0',
      MLOPS_FEATURE_STORE_SOURCE_GROUP: `mlops-feature-store-cache-test-${randomUUID().slice(0, 8)}`,
      MLOPS_FEATURE_STORE_ONLINE_CACHE_ENTRIES: entries,
    });
    await service.waitUntilReady();
    return service;
  };

  const write = (key: string, eventMs: number, amount: number) =>
    writer.write([{ viewName: view, viewVersion: 1, entityKey: key, eventTime: new Date(eventMs), recordHash: randomUUID(), values: { amount } } as FeatureRow]);

  async function read(service: ServiceProcess, key: string): Promise<{ value: unknown; status: string }> {
    const response = await fetch(`${service.url}/online-features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...testAuth() },
      body: JSON.stringify({ entities: [{ customer_id: key }], features: [`${view}:amount`] }),
    });
    if (response.status !== 200) throw new Error(`POST /online-features: ${response.status} ${await response.text()}`);
    const body = (await response.json()) as { results: { features: Record<string, { value: unknown; status: string }> }[] };
    return body.results[0].features[`${view}:amount`];
  }

  async function counter(service: ServiceProcess, thing: string): Promise<number> {
    const metrics = String((await getJson(`${service.url}/metrics`)).body);
    const line = metrics.split('\n').find((l) => new RegExp(`^mlops_feature_store_online_cache_${thing}_total[{ ]`).test(l));
    const value = Number(line?.split(' ').pop());
    if (!Number.isFinite(value)) throw new Error(`no online cache ${thing} counter in ${service.url}/metrics`);
    return value;
  }

  beforeAll(async () => {
    dataSource = await openMigratedDataSource(config, featureStoreMigrations);
    writer = new FeatureWriter(dataSource, new HistoryPartitions(dataSource));
    [cached, uncached] = await Promise.all([start('1000'), start('0')]);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${cached.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...testAuth() }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    };
    await post('/entities', { name: entity, joinKeys: [{ name: 'customer_id', type: 'string' }] });
    await post('/feature-views', {
      name: view,
      entities: [entity],
      source: { topic: `${view}.src`, eventTimeField: 'ts' },
      schema: [{ name: 'amount', type: 'float64' }],
      ttlSeconds: 3600,
      owner: 'cache-test',
    });
    // The other process learns of the view at its next definitions refresh.
    await waitFor('the view known to both processes', async () => (await read(uncached, 'nobody')).status === 'NOT_FOUND');
  }, 180_000);

  afterAll(async () => {
    await Promise.all([cached?.stop(), uncached?.stop()]);
    await dataSource?.destroy();
  });

  it('answers repeated reads from memory and sees a value written elsewhere once the write commits', async () => {
    const key = `c${n++}`;
    const now = Date.now();
    expect(await read(cached, key)).toMatchObject({ status: 'NOT_FOUND' });
    const hits = await counter(cached, 'hits');
    expect(await read(cached, key)).toMatchObject({ status: 'NOT_FOUND' });
    expect(await counter(cached, 'hits')).toBe(hits + 1);

    await write(key, now - 60_000, 1);
    await waitFor('the first value read', async () => (await read(cached, key)).value === 1);
    const invalidations = await counter(cached, 'invalidations');
    await write(key, now - 30_000, 2);
    await waitFor('the newer value read', async () => (await read(cached, key)).value === 2);
    expect(await counter(cached, 'invalidations')).toBeGreaterThan(invalidations);

    // An older event time changes nothing in Postgres, so the cached value stays the answer.
    await write(key, now - 90_000, 3);
    await write(`${key}-marker`, now, 0);
    await waitFor('a later write heard', async () => (await read(cached, `${key}-marker`)).value === 0);
    expect(await read(cached, key)).toMatchObject({ value: 2, status: 'PRESENT' });
  });

  it('reports a cached value EXPIRED once it is older than the TTL at read time', async () => {
    const stale = `c${n++}`;
    await write(stale, Date.now() - 2 * HOUR_MS, 5);
    await waitFor('the stale value stored', async () => (await read(uncached, stale)).status === 'EXPIRED');
    expect(await read(cached, stale)).toEqual({ value: null, status: 'EXPIRED', eventTime: expect.any(String) });
    const hits = await counter(cached, 'hits');
    expect(await read(cached, stale)).toMatchObject({ value: null, status: 'EXPIRED' });
    expect(await counter(cached, 'hits')).toBe(hits + 1);

    // Present when first read and cached; expired a few seconds later without any write in between.
    const expiring = `c${n++}`;
    await write(expiring, Date.now() - HOUR_MS + 5000, 6);
    await waitFor('the fresh value read', async () => (await read(cached, expiring)).status === 'PRESENT');
    const invalidations = await counter(cached, 'invalidations');
    const expired = await waitFor('the value expired', async () => {
      const value = await read(cached, expiring);
      return value.status === 'EXPIRED' ? value : undefined;
    }, { timeoutMs: 20_000 });
    expect(expired.value).toBeNull();
    expect(await counter(cached, 'invalidations')).toBe(invalidations);
  });

  it('reads Postgres every time with the cache off', async () => {
    const key = `c${n++}`;
    await write(key, Date.now() - 60_000, 7);
    expect(await read(uncached, key)).toMatchObject({ value: 7, status: 'PRESENT' });
    await write(key, Date.now() - 30_000, 8);
    expect(await read(uncached, key)).toMatchObject({ value: 8, status: 'PRESENT' });
    expect(await counter(uncached, 'hits')).toBe(0);
    expect(await counter(uncached, 'misses')).toBe(0);
  });

  it('hears every key of a batch too large for one notification, and a key too long to share one', async () => {
    const cache = new OnlineValueCache(10_000);
    const listener = new OnlineChangeListener(cache, config, new JsonLogger({ service: 'feature-store', level: 'error' }));
    const store = new OnlineValueStore(config, cache, new Registry());
    try {
      await listener.onApplicationBootstrap();
      const entityKeys = Array.from({ length: 3000 }, (_, i) => `batch-${n}-${i}-"quoted"\\`).concat(`long-${n++}-${'é'.repeat(2000)}`);
      const keys = { views: entityKeys.map(() => view), entityKeys };
      const batch = (eventMs: number, amount: number) =>
        writer.write(entityKeys.map((entityKey) => ({ viewName: view, viewVersion: 1, entityKey, eventTime: new Date(eventMs), recordHash: randomUUID(), values: { amount } })));
      await batch(Date.now() - 60_000, 1);
      await waitFor('the batch cached', async () => (await store.read(keys)).every((row) => row?.values.amount === 1) && cache.size === entityKeys.length);
      await batch(Date.now() - 30_000, 2);
      await waitFor('every key of the new batch read', async () => (await store.read(keys)).every((row) => row?.values.amount === 2));
    } finally {
      await listener.onApplicationShutdown();
      await store.onApplicationShutdown();
    }
  });

  it('empties and bypasses the cache when its LISTEN connection is cut, and uses it again once listening', async () => {
    const cache = new OnlineValueCache(100);
    const listener = new OnlineChangeListener(cache, config, new JsonLogger({ service: 'feature-store', level: 'error' }));
    const store = new OnlineValueStore(config, cache, new Registry());
    const admin = new Client({ connectionString: config.postgres.url });
    await admin.connect();
    try {
      await listener.onApplicationBootstrap();
      const key = `c${n++}`;
      const keys = { views: [view], entityKeys: [key] };
      await write(key, Date.now() - 60_000, 1);
      expect((await store.read(keys))[0]?.values).toEqual({ amount: 1 });
      // The first fill may be overtaken by the notification of the write itself, and then not kept.
      await waitFor('the value cached', async () => (await store.read(keys)) && cache.get(pairKey(view, key)));

      const pid = listener.backendPid;
      expect(pid).toEqual(expect.any(Number));
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor('the cut noticed', async () => !listener.listening);
      expect(cache.size).toBe(0);
      // Unheard while cut: a read must still see it.
      await write(key, Date.now() - 30_000, 2);
      expect((await store.read(keys))[0]?.values).toEqual({ amount: 2 });

      await waitFor('listening again', async () => listener.listening && listener.backendPid !== pid, { timeoutMs: 30_000 });
      expect((await store.read(keys))[0]?.values).toEqual({ amount: 2 });
      await write(key, Date.now() - 10_000, 3);
      await waitFor('the change heard after reconnecting', async () => (await store.read(keys))[0]?.values.amount === 3);
    } finally {
      await listener.onApplicationShutdown();
      await store.onApplicationShutdown();
      await admin.end();
    }
  });
});
