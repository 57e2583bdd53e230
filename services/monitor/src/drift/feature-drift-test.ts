import type { FeatureDrift, MonitoringPolicy } from '@mlops/contracts';
import type { ColumnProfile } from '@mlops/ml';
import { chi2Contingency } from '../statistics/chi-squared';
import { jensenShannon, populationStabilityIndex, wasserstein } from '../statistics/distances';
import { ksPValue, weightedKsStatistic } from '../statistics/kolmogorov-smirnov';
import { twoProportionZTest } from '../statistics/proportions';
import type { ColumnSketch } from '../windows/column-sketch';
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
  const numeric = reference.kind === 'numeric' && current.kind === 'numeric';
  const categories = categoryCounts(reference, current);
  const psi =
    reference.kind === 'numeric' && current.kind === 'numeric' && reference.bins.length > 0
      ? psiOf(binCounts(reference, current))
      : populationStabilityIndex(categories.reference, categories.current);
  const effectSize = numeric ? normedWasserstein(reference, current) : jensenShannon(categories.reference, categories.current);
  const hypothesisPValue = numeric ? ksTest(reference, current).pValue : categoricalPValue(categories);
  const measured = measure(test, reference, current, categories, psi, effectSize, hypothesisPValue);
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

function psiOf(counts: { reference: number[]; current: number[] }): number {
  return populationStabilityIndex(counts.reference, counts.current);
}

function measure(
  test: DriftTestName,
  reference: ColumnProfile,
  current: ColumnSketch,
  categories: CategoryCounts,
  psi: number,
  effectSize: number,
  hypothesisPValue: number | null,
): { statistic: number; pValue: number | null } {
  switch (test) {
    case 'ks':
      return ksTest(reference, current);
    case 'wasserstein':
      return { statistic: effectSize, pValue: null };
    case 'jensen_shannon':
      return { statistic: jensenShannon(categories.reference, categories.current), pValue: null };
    case 'psi':
      return { statistic: psi, pValue: null };
    case 'z_test':
      return zTest(categories);
    case 'chi2':
      return chiSquared(categories, hypothesisPValue);
    default:
      throw new Error(`drift test ${test} does not apply to a single window`);
  }
}

function ksTest(reference: ColumnProfile, current: ColumnSketch): { statistic: number; pValue: number | null } {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric' || reference.count === 0 || current.count === 0) return { statistic: 0, pValue: null };
  const statistic = weightedKsStatistic(referenceValues(reference), current.weightedValues());
  return { statistic, pValue: ksPValue(statistic, reference.count, current.count) };
}

function normedWasserstein(reference: ColumnProfile, current: ColumnSketch): number {
  if (reference.kind !== 'numeric' || current.kind !== 'numeric' || reference.count === 0 || current.count === 0) return 0;
  const ref = referenceValues(reference);
  const cur = current.weightedValues();
  return wasserstein(ref.values, cur.values, ref.weights, cur.weights) / Math.max(reference.std ?? 0, MIN_NORMALISING_STD);
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
