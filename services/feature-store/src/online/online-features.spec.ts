import type { PlatformRuntime } from '@mlops/service-kit';
import type { JsonLogger } from '@mlops/observability';
import type { FeatureStoreConfig } from '../config/feature-store.config';
import type { DefinitionRepository } from '../definitions/definition.repository';
import { FeatureCatalog } from '../definitions/feature-catalog';
import { FeatureViewDefinition, FeatureViewVersion } from '../definitions/feature-definitions';
import { InvalidOnlineRequestError, OnlineFeatures } from './online-features';
import type { OnlineKeys, OnlineValueStore, StoredOnlineValue } from './online-value.store';

const NOW = Date.parse('2026-01-01T12:00:00.000Z');

function version(name: string, v: number, joinKey: string, fields: string[], ttlSeconds: number): FeatureViewVersion {
  const definition = FeatureViewDefinition.parse({
    name,
    entities: [`${joinKey}_entity`],
    source: { topic: `${name}.src`, eventTimeField: 'ts' },
    schema: fields.map((f) => ({ name: f, type: f === 'country' ? 'string' : 'float64' })),
    ttlSeconds,
    owner: 'team',
  });
  return { name, version: v, definition, joinKeys: [{ name: joinKey, type: 'string' }], schemaHash: `${name}${v}`, createdAt: '', updatedAt: '' };
}

/** Stored values by (view, entity key), recording what each read asked for. */
class StoreDouble {
  readonly asked: OnlineKeys[] = [];
  constructor(private readonly values: StoredOnlineValue[]) {}
  async read(keys: OnlineKeys): Promise<(StoredOnlineValue | undefined)[]> {
    this.asked.push(keys);
    return keys.views.map((view, i) => this.values.find((v) => v.view === view && v.entityKey === keys.entityKeys[i]));
  }
}

async function setUp(values: StoredOnlineValue[]) {
  // txn v2 adds country and cuts the TTL to 60 s; TTL is metadata, so the newest version's applies to v1 reads too.
  const views = [version('txn', 1, 'customer_id', ['amount'], 3600), version('txn', 2, 'customer_id', ['amount', 'country'], 60), version('geo', 1, 'zip', ['density'], 10)];
  const repository = { allViewVersions: async () => views } as unknown as DefinitionRepository;
  const catalog = new FeatureCatalog(repository, {} as PlatformRuntime, {} as JsonLogger, {} as FeatureStoreConfig);
  await catalog.refresh();
  const store = new StoreDouble(values);
  return { online: new OnlineFeatures(store as unknown as OnlineValueStore, catalog), store };
}

const stored = (view: string, entityKey: string, ageMs: number, values: StoredOnlineValue['values']): StoredOnlineValue => ({
  view,
  entityKey,
  eventMs: NOW - ageMs,
  values,
});

describe('OnlineFeatures', () => {
  it('marks each value PRESENT, EXPIRED (older than the newest TTL at read time, as null) or NOT_FOUND', async () => {
    const { online } = await setUp([
      stored('txn', 'fresh', 60_000, { amount: 1.5, country: 'DE' }),
      stored('txn', 'stale', 60_001, { amount: 2.5, country: 'FR' }),
      stored('txn', 'sparse', 1_000, { amount: 3 }),
    ]);
    const result = await online.read(
      [{ customer_id: 'fresh' }, { customer_id: 'stale' }, { customer_id: 'none' }, { customer_id: 'sparse' }],
      ['txn:amount', 'txn:country'],
      new Date(NOW),
    );
    expect(result.results.map((r) => r.features)).toEqual([
      {
        'txn:amount': { value: 1.5, status: 'PRESENT', eventTime: '2026-01-01T11:59:00.000Z' },
        'txn:country': { value: 'DE', status: 'PRESENT', eventTime: '2026-01-01T11:59:00.000Z' },
      },
      {
        'txn:amount': { value: null, status: 'EXPIRED', eventTime: '2026-01-01T11:58:59.999Z' },
        'txn:country': { value: null, status: 'EXPIRED', eventTime: '2026-01-01T11:58:59.999Z' },
      },
      {
        'txn:amount': { value: null, status: 'NOT_FOUND', eventTime: null },
        'txn:country': { value: null, status: 'NOT_FOUND', eventTime: null },
      },
      {
        'txn:amount': { value: 3, status: 'PRESENT', eventTime: '2026-01-01T11:59:59.000Z' },
        'txn:country': { value: null, status: 'PRESENT', eventTime: '2026-01-01T11:59:59.000Z' },
      },
    ]);
    expect(result.results.map((r) => r.entity)).toEqual([{ customer_id: 'fresh' }, { customer_id: 'stale' }, { customer_id: 'none' }, { customer_id: 'sparse' }]);
  });

  it('reads a pinned version with the newest TTL, and asks the store once for every view and distinct entity', async () => {
    const { online, store } = await setUp([stored('txn', 'c1', 120_000, { amount: 7 }), stored('geo', '10115', 5_000, { density: 0.5 })]);
    const result = await online.read(
      [{ customer_id: 'c1', zip: '10115' }, { customer_id: 'c1', zip: '10115' }],
      ['txn@1:amount', 'geo:density'],
      new Date(NOW),
    );
    // v1's TTL was an hour, but the newest says 60 s: two minutes old is expired.
    expect(result.results[0].features['txn@1:amount']).toMatchObject({ status: 'EXPIRED', value: null });
    expect(result.results[1].features['geo:density']).toMatchObject({ status: 'PRESENT', value: 0.5 });
    expect(store.asked).toEqual([{ views: ['txn', 'geo'], entityKeys: ['c1', '10115'] }]);
  });

  it('names the unknown ref or the missing join key by position, before reading anything', async () => {
    const { online, store } = await setUp([]);
    await expect(online.read([{ customer_id: 'c1' }], ['txn:amount', 'txn:nope'])).rejects.toThrow(
      new InvalidOnlineRequestError('features.1: txn:nope: view txn v2 has no feature nope'),
    );
    await expect(online.read([{ customer_id: 'c1' }], ['txn@1:country'])).rejects.toThrow(/features\.0: txn@1:country: view txn v1 has no feature country/);
    await expect(online.read([{ customer_id: 'c1' }, { zip: '1' }], ['txn:amount'])).rejects.toThrow(
      new InvalidOnlineRequestError('entities.1: join key customer_id is missing (needed by view txn)'),
    );
    expect(store.asked).toEqual([]);
  });
});
