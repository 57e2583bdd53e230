/** The stored newest value of one (view, entity): event time in epoch milliseconds and the feature values. */
export interface StoredOnlineValue {
  view: string;
  entityKey: string;
  eventMs: number;
  values: Record<string, string | number | boolean | null>;
  /** The event time as RFC 3339 text, set by the first reader: a cached row is read again and again. */
  eventTime?: string;
}

/** The key of one (view, entity) pair; NUL cannot occur in a view name. */
export const pairKey = (view: string, entityKey: string): string => `${view}\u0000${entityKey}`;

/** What a fill started with: the pairs it asked Postgres for and the cache generation at that moment. */
export interface Fill {
  keys: string[];
  generation: number;
}

/**
 * Online rows held in memory, a stored value or `null` for a pair with nothing stored, at most `capacity` of them
 * (the oldest entry goes first). Only usable while `live`: the owner sets that once it listens to change
 * notifications, and anything held is dropped when it stops.
 *
 * A fill races with changes: Postgres may answer with a row that a commit replaced after the read's snapshot, and
 * the notification of that commit may arrive before the answer does. So a fill is registered before its query is
 * sent, a notification for a pair with a fill in flight marks the pair, and a marked pair (or any pair, after a
 * clear) is not stored when the answer comes back. The event time is stored, never a status: TTL is judged at read.
 */
export class OnlineValueCache {
  private readonly rows = new Map<string, StoredOnlineValue | null>();
  private readonly inFlight = new Map<string, number>();
  private readonly changedInFlight = new Set<string>();
  private generation = 0;
  private live = false;
  hits = 0;
  misses = 0;
  invalidations = 0;

  constructor(readonly capacity: number) {}

  get enabled(): boolean {
    return this.capacity > 0;
  }

  get usable(): boolean {
    return this.live;
  }

  get size(): number {
    return this.rows.size;
  }

  /** Live once change notifications are heard; a dead listener makes everything held suspect. */
  setLive(live: boolean): void {
    this.clear();
    this.live = live && this.enabled;
  }

  /** The held row, `null` when Postgres has none, `undefined` when not held. */
  get(key: string): StoredOnlineValue | null | undefined {
    const row = this.rows.get(key);
    if (row === undefined) this.misses++;
    else this.hits++;
    return row;
  }

  beginFill(keys: string[]): Fill {
    for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    return { keys, generation: this.generation };
  }

  /** Stores what Postgres answered for the fill's pairs (absent ones as `null`) unless they changed meanwhile. */
  completeFill(fill: Fill, found: Map<string, StoredOnlineValue> | null): void {
    const store = found !== null && this.live && fill.generation === this.generation;
    for (const key of fill.keys) {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (store && !this.changedInFlight.has(key)) this.put(key, found.get(key) ?? null);
      if (left > 0) this.inFlight.set(key, left);
      else {
        this.inFlight.delete(key);
        this.changedInFlight.delete(key);
      }
    }
  }

  /** Entity keys of one view changed in Postgres. */
  invalidate(view: string, entityKeys: string[]): void {
    for (const entityKey of entityKeys) {
      const key = pairKey(view, entityKey);
      this.rows.delete(key);
      if (this.inFlight.has(key)) this.changedInFlight.add(key);
    }
    this.invalidations += entityKeys.length;
  }

  /** Any row of the view may have changed. */
  invalidateView(view: string): void {
    const prefix = pairKey(view, '');
    for (const key of this.rows.keys()) if (key.startsWith(prefix)) this.rows.delete(key);
    // Fills in flight for any view are dropped: rare, and simpler than tracking them per view.
    this.generation++;
    this.invalidations++;
  }

  clear(): void {
    this.rows.clear();
    this.changedInFlight.clear();
    this.generation++;
  }

  private put(key: string, row: StoredOnlineValue | null): void {
    this.rows.delete(key);
    if (this.rows.size >= this.capacity) this.rows.delete(this.rows.keys().next().value as string);
    this.rows.set(key, row);
  }
}
