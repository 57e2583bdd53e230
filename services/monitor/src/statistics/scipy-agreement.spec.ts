import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classificationMetrics, regressionMetrics } from '@mlops/ml';
import { benjaminiHochberg } from './benjamini-hochberg';
import { chi2Contingency } from './chi-squared';
import { jensenShannon, populationStabilityIndex, wasserstein } from './distances';
import { kolmogorovSf } from './kolmogorov-distribution';
import { ks2Samp } from './kolmogorov-smirnov';
import { mannWhitneyU } from './mann-whitney';
import { twoProportionZTest } from './proportions';
import { chiSquaredSf, normalSf } from './special-functions';

/** Written by services/monitor/test-vectors/generate_scipy_vectors.py from scipy's own answers. */
const vectors = JSON.parse(readFileSync(join(__dirname, '../../test-vectors/scipy-vectors.json'), 'utf8'));
const TOLERANCE = 1e-9;

function expectAgreement(actual: number, expected: number): void {
  // Absolute for probabilities and distances near 0, relative for the rest.
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(expected)));
}

describe('agreement with scipy to 1e-9', () => {
  const ksCases = vectors.ks2samp as { a: number[]; b: number[]; statistic: number; pValue: number }[];
  it.each(ksCases.map((c) => ({ n1: c.a.length, n2: c.b.length, c })))('ks_2samp with $n1 and $n2 values', ({ c }) => {
    const result = ks2Samp(c.a, c.b);
    expectAgreement(result.statistic, c.statistic);
    expectAgreement(result.pValue, c.pValue);
  });

  it('kstwo.sf across its regimes', () => {
    for (const c of vectors.kstwoSf as { n: number; d: number; sf: number }[]) {
      const actual = kolmogorovSf(c.n, c.d);
      if (Math.abs(actual - c.sf) > TOLERANCE) throw new Error(`kstwo.sf(${c.d}, ${c.n}) = ${c.sf}, ours ${actual}`);
    }
  });

  it('chi2_contingency, with Yates correction on 2x2 tables', () => {
    for (const c of vectors.chi2Contingency as { table: number[][]; statistic: number; pValue: number; dof: number }[]) {
      const result = chi2Contingency(c.table);
      expect(result.dof).toBe(c.dof);
      expectAgreement(result.statistic, c.statistic);
      expectAgreement(result.pValue, c.pValue);
    }
  });

  it('chi2.sf and norm.sf', () => {
    for (const c of vectors.chi2Sf as { x: number; dof: number; sf: number }[]) expectAgreement(chiSquaredSf(c.x, c.dof), c.sf);
    for (const c of vectors.normalSf as { z: number; sf: number }[]) expectAgreement(normalSf(c.z), c.sf);
  });

  it('wasserstein_distance, weighted and not', () => {
    for (const c of vectors.wasserstein as { u: number[]; v: number[]; uWeights?: number[]; vWeights?: number[]; distance: number }[]) {
      expectAgreement(wasserstein(c.u, c.v, c.uWeights, c.vWeights), c.distance);
    }
  });

  it('jensenshannon in base e and base 2', () => {
    for (const c of vectors.jensenShannon as { p: number[]; q: number[]; distance: number; distanceBase2: number }[]) {
      expectAgreement(jensenShannon(c.p, c.q), c.distance);
      expectAgreement(jensenShannon(c.p, c.q, 2), c.distanceBase2);
    }
  });

  it('false_discovery_control (Benjamini-Hochberg)', () => {
    for (const c of vectors.benjaminiHochberg as { pValues: number[]; adjusted: number[] }[]) {
      benjaminiHochberg(c.pValues).forEach((p, i) => expectAgreement(p, c.adjusted[i]));
    }
  });

  it('mannwhitneyu (asymptotic, tie and continuity corrections)', () => {
    for (const c of vectors.mannWhitneyU as { x: number[]; y: number[]; statistic: number; pValue: number }[]) {
      const result = mannWhitneyU(c.x, c.y);
      expectAgreement(result.statistic, c.statistic);
      expectAgreement(result.pValue, c.pValue);
    }
  });

  it('the two-proportion z-test (its p-value is chi2_contingency without correction)', () => {
    for (const c of vectors.twoProportion as { successes1: number; n1: number; successes2: number; n2: number; z: number; pValue: number }[]) {
      const result = twoProportionZTest(c.successes1, c.n1, c.successes2, c.n2);
      expectAgreement(result.statistic, c.z);
      expectAgreement(result.pValue, c.pValue);
    }
  });

  it('PSI with empty bins as 0.0001', () => {
    for (const c of vectors.psi as { reference: number[]; current: number[]; psi: number }[]) {
      expectAgreement(populationStabilityIndex(c.reference, c.current), c.psi);
    }
  });

  it('AUC, accuracy, F1 and log loss as scikit-learn; RMSE and MAE', () => {
    const { classification: c, regression: r } = vectors.performance;
    const metrics = classificationMetrics(c.labels, c.scores);
    expectAgreement(metrics.auc, c.auc);
    expectAgreement(metrics.auc, c.aucFromU);
    expectAgreement(metrics.accuracy, c.accuracy);
    expectAgreement(metrics.f1, c.f1);
    expectAgreement(metrics.logLoss, c.logLoss);
    const regression = regressionMetrics(r.targets, r.predictions);
    expectAgreement(regression.rmse, r.rmse);
    expectAgreement(regression.mae, r.mae);
  });
});
