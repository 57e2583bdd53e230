import type { FeatureDrift, MonitoringPolicy } from '@mlops/contracts';
import type { ColumnProfile, NumericColumnProfile } from '@mlops/ml';
import { chi2Contingency } from '../statistics/chi-squared';
import { jensenShannon, populationStabilityIndex, wasserstein } from '../statistics/distances';
import { ksPValue, weightedKsStatistic, WeightedSample } from '../statistics/kolmogorov-smirnov';
import { twoProportionZTest } from '../statistics/proportions';
import { ColumnSketch, NumericColumnSketch } from '../windows/column-sketch';
import { binCounts, categoryCounts, CategoryCounts, referenceValues } from './reference-columns';

type DriftTestName = FeatureDrift['test'];
type Overrides = MonitoringPolicy['drift']['overrides'];

/** Evidently's boundary: references up to this many rows get hypothesis tests, larger ones distances. */
const SMALL_REFERENCE_ROWS = 1000;
const P_VALUE_THRESHOLD = 0.05;
const DISTANCE_THRESHOLD = 0.1;
const MIN_NORMALISING_STD = 0.001;

/** One column's result before the window-level Benjamini-Hochberg pass; `hypothesisPValue` feeds that pass. */
export interface ColumnDrift extends FeatureDrift {
  hypothesisPValue: number | null;
  /** Effect size for the sample-size-aware rule: normed Wasserstein for numeric columns, Jensen-Shannon otherwise. */
  effectSize: number;
}

/** The test Evidently picks for a column: by reference size, kind and number of distinct values. */
export function defaultTest(reference: ColumnProfile): DriftTestName {
  const small = reference.count <= SMALL_REFERENCE_ROWS;
  const distinct = reference.kind === 'numeric' ? (reference.distinct ?? Infinity) : reference.frequencies.length + (reference.otherCount > 0 ? 1 : 0);
  const numericLike = reference.kind === 'numeric' && distinct > 5;
  if (small) return numericLike ? 'ks' : distinct <= 2 ? 'z_test' : 'chi2';
  return numericLike ? 'wasserstein' : 'jensen_shannon';
}

export function testColumn(name: string, reference: ColumnProfile, current: ColumnSketch, overrides: Overrides): ColumnDrift {
  const override = overrides[name];
  const test = override?.test ?? defaultTest(reference);
  const numeric = reference.kind === 'numeric' && current.kind === 'numeric' ? { reference, current: quantised(current) } : null;
  // Category counts only where a categorical test or categorical PSI needs them: they are the costly part for numbers.
  const needsCategories = !numeric || test === 'chi2' || test === 'z_test' || test === 'jensen_shannon';
  const categories = needsCategories ? categoryCounts(reference, current) : null;
  const psi = numeric && numeric.reference.bins.length > 0 ? psiOf(binCounts(numeric.reference, current as NumericColumnSketch)) : categories ? populationStabilityIndex(categories.reference, categories.current) : 0;
  const effectSize = numeric ? normedWasserstein(numeric.reference, numeric.current) : jensenShannon((categories as CategoryCounts).reference, (categories as CategoryCounts).current);
  // Evidently's KS (small references) is exact as scipy's; the FDR pass on large references only needs its asymptotic value.
  const ks = numeric ? ksTest(numeric.reference, numeric.current, test === 'ks' ? 'auto' : 'asymptotic') : null;
  const hypothesisPValue = ks ? ks.pValue : categoricalPValue(categories as CategoryCounts);
  const measured = test === 'ks' && ks ? ks : measure(test, numeric, categories, psi, effectSize, hypothesisPValue);
  const threshold = override?.threshold ?? (measured.pValue !== null ? P_VALUE_THRESHOLD : DISTANCE_THRESHOLD);
  const drifted = measured.pValue !== null ? measured.pValue < threshold : measured.statistic >= threshold;
  return {
    feature: name,
    test,
    statistic: measured.statistic,
    pValue: measured.pValue,
    threshold,
    drifted,
    psi,
    referenceRows: reference.count,
    currentRows: current.count,
    hypothesisPValue,
    effectSize,
  };
}

interface NumericSides {
  reference: NumericColumnProfile;
  /** The window's values as its sketch holds them. */
  current: WeightedSample;
}

/** The window's sketch as weighted values, the form every numeric test reads. */
function quantised(current: NumericColumnSketch): WeightedSample {
  return current.weightedValues();
}

function psiOf(counts: { reference: number[]; current: number[] }): number {
  return populationStabilityIndex(counts.reference, counts.current);
}

function measure(
  test: DriftTestName,
  numeric: NumericSides | null,
  categories: CategoryCounts | null,
  psi: number,
  effectSize: number,
  hypothesisPValue: number | null,
): { statistic: number; pValue: number | null } {
  const needCategories = (): CategoryCounts => {
    if (!categories) throw new Error(`drift test ${test} needs category counts`);
    return categories;
  };
  switch (test) {
    case 'ks':
      return numeric ? ksTest(numeric.reference, numeric.current) : { statistic: 0, pValue: null };
    case 'wasserstein':
      return { statistic: effectSize, pValue: null };
    case 'jensen_shannon':
      return { statistic: jensenShannon(needCategories().reference, needCategories().current), pValue: null };
    case 'psi':
      return { statistic: psi, pValue: null };
    case 'z_test':
      return zTest(needCategories());
    case 'chi2':
      return chiSquared(needCategories(), hypothesisPValue);
    default:
      throw new Error(`drift test ${test} does not apply to a single window`);
  }
}

/**
 * The reference sample goes through the window sketch's own quantisation first: comparing exact reference values with
 * bin representatives would add up to a bin's width of artificial distance and make the test fire too often.
 */
function ksTest(reference: NumericColumnProfile, current: WeightedSample, method: 'auto' | 'asymptotic' = 'auto'): { statistic: number; pValue: number | null } {
  if (reference.count === 0 || current.weights.length === 0) return { statistic: 0, pValue: null };
  const currentRows = sumOf(current.weights);
  const statistic = weightedKsStatistic(quantisedReference(reference), current);
  return { statistic, pValue: ksPValue(statistic, reference.count, Math.round(currentRows), method) };
}

function normedWasserstein(reference: NumericColumnProfile, current: WeightedSample): number {
  if (reference.count === 0 || current.weights.length === 0) return 0;
  const ref = referenceValues(reference);
  return wasserstein(ref.values, current.values, ref.weights, current.weights) / Math.max(reference.std ?? 0, MIN_NORMALISING_STD);
}

const quantisedReferences = new WeakMap<NumericColumnProfile, WeightedSample>();

function quantisedReference(reference: NumericColumnProfile): WeightedSample {
  let sample = quantisedReferences.get(reference);
  if (!sample) {
    const sketch = new NumericColumnSketch();
    const { values, weights } = referenceValues(reference);
    for (let i = 0; i < values.length; i++) sketch.addWeighted(values[i], weights[i]);
    sample = sketch.weightedValues();
    quantisedReferences.set(reference, sample);
  }
  return sample;
}

function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

/** Evidently's Z-test for proportions: the share of the reference's first category on both sides. */
function zTest(categories: CategoryCounts): { statistic: number; pValue: number } {
  const first = categories.reference.indexOf(Math.max(...categories.reference));
  const referenceTotal = categories.reference.reduce((a, b) => a + b, 0);
  const currentTotal = categories.current.reduce((a, b) => a + b, 0);
  if (referenceTotal === 0 || currentTotal === 0) return { statistic: 0, pValue: 1 };
  const result = twoProportionZTest(categories.reference[first], referenceTotal, categories.current[first], currentTotal);
  return { statistic: result.statistic, pValue: result.pValue };
}

function chiSquared(categories: CategoryCounts, pValue: number | null): { statistic: number; pValue: number | null } {
  const table = contingency(categories);
  return table ? { statistic: chi2Contingency(table).statistic, pValue } : { statistic: 0, pValue: 1 };
}

function categoricalPValue(categories: CategoryCounts): number | null {
  const table = contingency(categories);
  return table ? chi2Contingency(table).pValue : 1;
}

/** Reference and current counts as a 2-row table over the categories either side has. */
function contingency(categories: CategoryCounts): number[][] | null {
  const keep = categories.categories.map((_, i) => i).filter((i) => categories.reference[i] + categories.current[i] > 0);
  if (keep.length < 2) return null;
  const reference = keep.map((i) => categories.reference[i]);
  const current = keep.map((i) => categories.current[i]);
  if (reference.every((c) => c === 0) || current.every((c) => c === 0)) return null;
  return [reference, current];
}
