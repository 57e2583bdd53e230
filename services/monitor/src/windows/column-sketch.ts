import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/**
 * Relative accuracy of the numeric sketches: a value is known to within 1%, so a window's CDF and quantiles (hence
 * KS, Wasserstein and PSI against the reference) are those of values moved by at most 1%.
 */
const RELATIVE_ACCURACY = 0.01;
/** Bins per sign before the smallest magnitudes are merged: bounds a column's memory at a few tens of kilobytes. */
const BIN_LIMIT = 2048;
/** Distinct categories counted by name per column; the rest are counted together as OTHER_CATEGORY. */
export const CATEGORY_CAP = 200;
export const OTHER_CATEGORY = '__other__';

/** Values in ascending order with how often each occurs: what the tests read from a sketch. */
export interface WeightedValues {
  values: number[];
  weights: number[];
  total: number;
}

type DenseStore = LogCollapsingLowestDenseDDSketch['store'];

interface StoredStore {
  bins: number[];
  count: number;
  minKey: number;
  maxKey: number;
  offset: number;
  collapsed: boolean;
}

export interface StoredNumericSketch {
  kind: 'numeric';
  nulls: number;
  positive: StoredStore;
  negative: StoredStore;
  zeroCount: number;
  count: number;
  min: number | null;
  max: number | null;
  sum: number;
}

export interface StoredCategoricalSketch {
  kind: 'categorical';
  nulls: number;
  counts: Record<string, number>;
}

export type StoredColumnSketch = StoredNumericSketch | StoredCategoricalSketch;

/** A numeric column of one window: a DDSketch (mergeable, bounded) and the count of missing values. */
export class NumericColumnSketch {
  readonly kind = 'numeric';
  nulls = 0;
  private readonly sketch = new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: RELATIVE_ACCURACY, binLimit: BIN_LIMIT });

  add(value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value)) this.sketch.accept(value);
    else if (typeof value === 'boolean') this.sketch.accept(value ? 1 : 0);
    else this.nulls++;
  }

  /** A value standing for `weight` observations (a reference sample point). */
  addWeighted(value: number, weight: number): void {
    if (Number.isFinite(value) && weight > 0) this.sketch.accept(value, weight);
  }

  get count(): number {
    return this.sketch.count;
  }

  get mean(): number {
    return this.sketch.count > 0 ? this.sketch.sum / this.sketch.count : NaN;
  }

  quantile(q: number): number {
    return this.sketch.getValueAtQuantile(q);
  }

  /** Every non-empty bin's representative value, ascending, weighted by its count. */
  weightedValues(): WeightedValues {
    const values: number[] = [];
    const weights: number[] = [];
    const { mapping, negativeStore, store, zeroCount } = this.sketch;
    forEachBin(negativeStore, true, (key, count) => {
      values.push(-mapping.value(key));
      weights.push(count);
    });
    if (zeroCount > 0) {
      values.push(0);
      weights.push(zeroCount);
    }
    forEachBin(store, false, (key, count) => {
      values.push(mapping.value(key));
      weights.push(count);
    });
    return { values, weights, total: this.sketch.count };
  }

  toStored(): StoredNumericSketch {
    const s = this.sketch;
    return {
      kind: 'numeric',
      nulls: this.nulls,
      positive: storeOf(s.store),
      negative: storeOf(s.negativeStore),
      zeroCount: s.zeroCount,
      count: s.count,
      min: s.count > 0 ? s.min : null,
      max: s.count > 0 ? s.max : null,
      sum: s.sum,
    };
  }

  static fromStored(stored: StoredNumericSketch): NumericColumnSketch {
    const column = new NumericColumnSketch();
    column.nulls = stored.nulls;
    const s = column.sketch;
    restoreStore(s.store, stored.positive);
    restoreStore(s.negativeStore, stored.negative);
    s.zeroCount = stored.zeroCount;
    s.count = stored.count;
    s.min = stored.min ?? Infinity;
    s.max = stored.max ?? -Infinity;
    s.sum = stored.sum;
    return column;
  }
}

function forEachBin(store: DenseStore, descending: boolean, visit: (key: number, count: number) => void): void {
  if (store.count === 0) return;
  const first = store.minKey - store.offset;
  const last = store.maxKey - store.offset;
  if (descending) {
    for (let i = last; i >= first; i--) if (store.bins[i] > 0) visit(i + store.offset, store.bins[i]);
  } else {
    for (let i = first; i <= last; i++) if (store.bins[i] > 0) visit(i + store.offset, store.bins[i]);
  }
}

function storeOf(store: DenseStore): StoredStore {
  const collapsing = store as DenseStore & { isCollapsed?: boolean };
  if (store.count === 0) return { bins: [], count: 0, minKey: 0, maxKey: 0, offset: 0, collapsed: false };
  // Only the occupied range is kept; offset is rebased onto it.
  const from = store.minKey - store.offset;
  const to = store.maxKey - store.offset;
  return {
    bins: store.bins.slice(from, to + 1),
    count: store.count,
    minKey: store.minKey,
    maxKey: store.maxKey,
    offset: store.minKey,
    collapsed: collapsing.isCollapsed ?? false,
  };
}

function restoreStore(store: DenseStore, stored: StoredStore): void {
  if (stored.count === 0) return;
  const collapsing = store as DenseStore & { isCollapsed?: boolean };
  store.bins = [...stored.bins];
  store.count = stored.count;
  store.minKey = stored.minKey;
  store.maxKey = stored.maxKey;
  store.offset = stored.offset;
  collapsing.isCollapsed = stored.collapsed;
}

/** A categorical (string or boolean) column of one window: counts per category up to CATEGORY_CAP, then OTHER_CATEGORY. */
export class CategoricalColumnSketch {
  readonly kind = 'categorical';
  nulls = 0;
  readonly counts = new Map<string, number>();

  add(value: unknown): void {
    if (value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) {
      this.nulls++;
      return;
    }
    const category = String(value);
    const current = this.counts.get(category);
    if (current !== undefined) this.counts.set(category, current + 1);
    else if (this.counts.size < CATEGORY_CAP) this.counts.set(category, 1);
    else this.counts.set(OTHER_CATEGORY, (this.counts.get(OTHER_CATEGORY) ?? 0) + 1);
  }

  get count(): number {
    let total = 0;
    for (const c of this.counts.values()) total += c;
    return total;
  }

  toStored(): StoredCategoricalSketch {
    return { kind: 'categorical', nulls: this.nulls, counts: Object.fromEntries(this.counts) };
  }

  static fromStored(stored: StoredCategoricalSketch): CategoricalColumnSketch {
    const column = new CategoricalColumnSketch();
    column.nulls = stored.nulls;
    for (const [category, count] of Object.entries(stored.counts)) column.counts.set(category, count);
    return column;
  }
}

export type ColumnSketch = NumericColumnSketch | CategoricalColumnSketch;

export function restoreColumnSketch(stored: StoredColumnSketch): ColumnSketch {
  return stored.kind === 'numeric' ? NumericColumnSketch.fromStored(stored) : CategoricalColumnSketch.fromStored(stored);
}
