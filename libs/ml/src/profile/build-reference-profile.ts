import type { FeatureMatrix } from '../training/dataset';
import { quantile } from './linear-quantile';
import { distinctCount, referenceSample } from './reference-sample';
import { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile, ReferenceProfile } from './reference-profile.schema';

export { quantile };

export type ProfileInput =
  | { name: string; kind: 'numeric'; values: ArrayLike<number | null> }
  | { name: string; kind: 'categorical'; values: ArrayLike<string | null> };

export interface ProfileOptions {
  /** Equal-frequency bins per numeric column. */
  bins?: number;
  quantiles?: number[];
  /** Categories listed by name; the rest are counted in otherCount. */
  topCategories?: number;
}

const DEFAULT_QUANTILES = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

export function buildReferenceProfile(features: ProfileInput[], predictions: ProfileInput[], options: ProfileOptions = {}): ReferenceProfile {
  const all = [...features, ...predictions];
  const rowCount = all.length > 0 ? all[0].values.length : 0;
  for (const column of all) {
    if (column.values.length !== rowCount) throw new RangeError(`column ${column.name} has ${column.values.length} rows, expected ${rowCount}`);
  }
  return { schemaVersion: 1, rowCount, features: features.map((c) => profileColumn(c, options)), predictions: predictions.map((c) => profileColumn(c, options)) };
}

/** The numeric columns of a feature matrix as profile inputs. */
export function featureMatrixColumns(matrix: FeatureMatrix): ProfileInput[] {
  return matrix.featureNames.map((name, c) => {
    const values = new Float64Array(matrix.rows);
    for (let r = 0; r < matrix.rows; r++) values[r] = matrix.values[r * matrix.cols + c];
    return { name, kind: 'numeric' as const, values };
  });
}

export function profileColumn(column: ProfileInput, options: ProfileOptions = {}): ColumnProfile {
  return column.kind === 'numeric' ? numericProfile(column.name, column.values, options) : categoricalProfile(column.name, column.values, options.topCategories ?? 20);
}

function numericProfile(name: string, values: ArrayLike<number | null>, options: ProfileOptions): NumericColumnProfile {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && !Number.isNaN(v)) present.push(v);
  }
  const sorted = Float64Array.from(present).sort();
  const count = sorted.length;
  const quantileLevels = options.quantiles ?? DEFAULT_QUANTILES;
  const base = { name, kind: 'numeric' as const, count, nullCount: values.length - count };
  if (count === 0) return { ...base, min: null, max: null, mean: null, std: null, quantiles: [], bins: [] };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i];
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < count; i++) squares += (sorted[i] - mean) ** 2;
  return {
    ...base,
    min: sorted[0],
    max: sorted[count - 1],
    mean,
    std: Math.sqrt(squares / count),
    quantiles: quantileLevels.map((q) => ({ q, value: quantile(sorted, q) })),
    bins: equalFrequencyBins(sorted, options.bins ?? 10),
    sample: referenceSample(sorted),
    distinct: distinctCount(sorted),
  };
}


function equalFrequencyBins(sorted: Float64Array, binCount: number): NumericColumnProfile['bins'] {
  const uppers: number[] = [];
  for (let k = 1; k < binCount; k++) {
    const edge = quantile(sorted, k / binCount);
    if (edge < sorted[sorted.length - 1] && (uppers.length === 0 || edge > uppers[uppers.length - 1])) uppers.push(edge);
  }
  const counts = new Array<number>(uppers.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < uppers.length && sorted[i] > uppers[bin]) bin++;
    counts[bin]++;
  }
  return counts.map((count, i) => ({ upper: i < uppers.length ? uppers[i] : null, count }));
}

function categoricalProfile(name: string, values: ArrayLike<string | null>, top: number): CategoricalColumnProfile {
  const counts = new Map<string, number>();
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) nullCount++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const listed = ranked.slice(0, top);
  const listedCount = listed.reduce((s, [, c]) => s + c, 0);
  return {
    name,
    kind: 'categorical',
    count: values.length - nullCount,
    nullCount,
    frequencies: listed.map(([value, count]) => ({ value, count })),
    otherCount: values.length - nullCount - listedCount,
  };
}
