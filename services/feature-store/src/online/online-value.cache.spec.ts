import { OnlineValueCache, pairKey } from './online-value.cache';
import type { StoredOnlineValue } from './online-value.store';

const value = (view: string, entityKey: string, eventMs: number): StoredOnlineValue => ({ view, entityKey, eventMs, values: { f: eventMs } });
const found = (...rows: StoredOnlineValue[]) => new Map(rows.map((r) => [pairKey(r.view, r.entityKey), r]));

function liveCache(capacity = 10): OnlineValueCache {
  const cache = new OnlineValueCache(capacity);
  cache.setLive(true);
  return cache;
}

describe('OnlineValueCache', () => {
  it('holds what a fill found, and null for a pair Postgres has nothing for', () => {
    const cache = liveCache();
    const fill = cache.beginFill([pairKey('v', 'a'), pairKey('v', 'b')]);
    cache.completeFill(fill, found(value('v', 'a', 1)));
    expect(cache.get(pairKey('v', 'a'))).toEqual(value('v', 'a', 1));
    expect(cache.get(pairKey('v', 'b'))).toBeNull();
    expect(cache.get(pairKey('v', 'c'))).toBeUndefined();
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
  });

  it('keeps out the answer of a fill that a change notification overtook', () => {
    const cache = liveCache();
    const fill = cache.beginFill([pairKey('v', 'a'), pairKey('v', 'b')]);
    cache.invalidate('v', ['a']);
    cache.completeFill(fill, found(value('v', 'a', 1), value('v', 'b', 1)));
    expect(cache.get(pairKey('v', 'a'))).toBeUndefined();
    expect(cache.get(pairKey('v', 'b'))).toEqual(value('v', 'b', 1));
    // The mark ends with the fills in flight: the next fill is stored again.
    cache.completeFill(cache.beginFill([pairKey('v', 'a')]), found(value('v', 'a', 2)));
    expect(cache.get(pairKey('v', 'a'))).toEqual(value('v', 'a', 2));
  });

  it('drops a notified pair, a notified view and everything on clear', () => {
    const cache = liveCache();
    cache.completeFill(cache.beginFill([pairKey('v', 'a'), pairKey('v', 'b'), pairKey('w', 'a')]), found());
    cache.invalidate('v', ['a']);
    expect(cache.get(pairKey('v', 'a'))).toBeUndefined();
    expect(cache.get(pairKey('v', 'b'))).toBeNull();
    cache.invalidateView('v');
    expect(cache.get(pairKey('v', 'b'))).toBeUndefined();
    expect(cache.get(pairKey('w', 'a'))).toBeNull();
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it('stores nothing from a fill started before a view-wide change or a clear, or while not live', () => {
    const cache = liveCache();
    const beforeViewChange = cache.beginFill([pairKey('w', 'a')]);
    cache.invalidateView('v');
    cache.completeFill(beforeViewChange, found(value('w', 'a', 1)));
    const beforeClear = cache.beginFill([pairKey('w', 'a')]);
    cache.clear();
    cache.completeFill(beforeClear, found(value('w', 'a', 1)));
    expect(cache.size).toBe(0);
    cache.setLive(false);
    cache.completeFill(cache.beginFill([pairKey('w', 'a')]), found(value('w', 'a', 1)));
    expect(cache.usable).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('evicts the oldest entry beyond its capacity, and is never live with a capacity of 0', () => {
    const cache = liveCache(2);
    for (const key of ['a', 'b', 'c']) cache.completeFill(cache.beginFill([pairKey('v', key)]), found());
    expect(cache.size).toBe(2);
    expect(cache.get(pairKey('v', 'a'))).toBeUndefined();
    expect(cache.get(pairKey('v', 'c'))).toBeNull();
    const off = new OnlineValueCache(0);
    off.setLive(true);
    expect(off.usable).toBe(false);
  });
});
