import type { CategoricalColumnProfile, ColumnProfile, NumericColumnProfile } from '@mlops/ml';
import type { WeightedSample } from '../statistics/kolmogorov-smirnov';
import { CategoricalColumnSketch, ColumnSketch, NumericColumnSketch, OTHER_CATEGORY } from '../windows/column-sketch';

/** The reference side of a numeric column as a weighted sample: its stored sample, or its quantiles in older profiles. */
export function referenceValues(column: NumericColumnProfile): WeightedSample {
  const values = column.sample && column.sample.length > 0 ? column.sample : column.quantiles.map((q) => q.value);
  const weight = column.count / Math.max(values.length, 1);
  return { values, weights: values.map(() => weight) };
}

/** Category counts of both sides over the union of categories, in one order; numeric columns of few values too. */
export interface CategoryCounts {
  categories: string[];
  reference: number[];
  current: number[];
}

export function categoryCounts(reference: ColumnProfile, current: ColumnSketch): CategoryCounts {
  const referenceCounts = reference.kind === 'categorical' ? categoricalReference(reference) : numericReferenceCategories(reference);
  const currentCounts = current.kind === 'categorical' ? categoricalCurrent(current) : numericCurrentCategories(current, [...referenceCounts.keys()]);
  const categories = [...new Set([...referenceCounts.keys(), ...currentCounts.keys()])].sort();
  return {
    categories,
    reference: categories.map((c) => referenceCounts.get(c) ?? 0),
    current: categories.map((c) => currentCounts.get(c) ?? 0),
  };
}

function categoricalReference(column: CategoricalColumnProfile): Map<string, number> {
  const counts = new Map(column.frequencies.map((f) => [f.value, f.count]));
  if (column.otherCount > 0) counts.set(OTHER_CATEGORY, column.otherCount);
  return counts;
}

function categoricalCurrent(sketch: CategoricalColumnSketch): Map<string, number> {
  return new Map(sketch.counts);
}

function numericReferenceCategories(column: NumericColumnProfile): Map<string, number> {
  const { values, weights } = referenceValues(column);
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) counts.set(String(values[i]), (counts.get(String(values[i])) ?? 0) + weights[i]);
  return counts;
}

/** A sketch knows values to within 1%: each bin is given to the reference value it is close to, else kept as itself. */
function numericCurrentCategories(sketch: NumericColumnSketch, referenceCategories: string[]): Map<string, number> {
  const known = referenceCategories.map(Number);
  const { values, weights } = sketch.weightedValues();
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const match = known.find((k) => Math.abs(k - values[i]) <= 0.02 * Math.max(Math.abs(k), 1e-9));
    const category = match === undefined ? String(values[i]) : String(match);
    counts.set(category, (counts.get(category) ?? 0) + weights[i]);
  }
  return counts;
}

/** Reference bin counts and the window's counts over the same bins (v falls in the first bin with v <= upper). */
export function binCounts(reference: NumericColumnProfile, current: NumericColumnSketch): { reference: number[]; current: number[] } {
  const uppers = reference.bins.map((b) => b.upper ?? Infinity);
  const counts = new Array<number>(uppers.length).fill(0);
  const { values, weights } = current.weightedValues();
  let bin = 0;
  for (let i = 0; i < values.length; i++) {
    while (bin < uppers.length - 1 && values[i] > uppers[bin]) bin++;
    counts[bin] += weights[i];
  }
  return { reference: reference.bins.map((b) => b.count), current: counts };
}
