import { classificationMetrics, rocAuc } from './classification-metrics';
import { regressionMetrics } from './regression-metrics';

describe('classificationMetrics', () => {
  // threshold 0.5 -> predicted [1,0,1,0,0,1]: tp 2, fp 1, fn 1, tn 2
  const labels = [1, 0, 1, 1, 0, 0];
  const probabilities = [0.9, 0.4, 0.6, 0.3, 0.2, 0.6];

  it('matches the hand-computed values', () => {
    const m = classificationMetrics(labels, probabilities);
    // 9 positive/negative pairs: 0.9 wins 3; 0.6 wins 2 and ties 1; 0.3 wins 1 -> 6.5 / 9
    expect(m.auc).toBeCloseTo(6.5 / 9, 12);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(m.brier).toBeCloseTo((0.01 + 0.16 + 0.16 + 0.49 + 0.04 + 0.36) / 6, 12);
    const logLoss = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.6) + Math.log(0.3) + Math.log(0.8) + Math.log(0.4)) / 6;
    expect(m.logLoss).toBeCloseTo(logLoss, 12);
    expect(m.logLoss).toBeCloseTo(0.5784031, 6);
  });

  it('gives AUC 1 for a perfect ranking and 0.5 when every score ties', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
  });

  it('keeps log loss finite for confident mistakes and zero-division metrics at 0', () => {
    const m = classificationMetrics([1, 0], [0, 0]);
    expect(Number.isFinite(m.logLoss)).toBe(true);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
  });

  it('refuses mismatched lengths', () => {
    expect(() => classificationMetrics([1, 0], [0.5])).toThrow('2 labels for 1 predictions');
  });
});

describe('regressionMetrics', () => {
  it('matches the hand-computed values', () => {
    // errors -0.5, 0.5, 0, 1; mean label 2.875, SST 29.1875
    const m = regressionMetrics([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(m.mae).toBeCloseTo(0.5, 12);
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.375), 12);
    expect(m.r2).toBeCloseTo(1 - 1.5 / 29.1875, 12);
  });

  it('handles constant labels like scikit-learn', () => {
    expect(regressionMetrics([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionMetrics([2, 2], [1, 2]).r2).toBe(0);
  });
});
