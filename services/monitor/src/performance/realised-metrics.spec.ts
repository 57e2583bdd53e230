import { degradedBeyond, realisedMetrics } from './realised-metrics';

describe('degradedBeyond', () => {
  it('compares in the direction the metric improves in', () => {
    expect(degradedBeyond('auc', 0.8, 0.9, 0.05)).toBe(true);
    expect(degradedBeyond('auc', 0.88, 0.9, 0.05)).toBe(false);
    expect(degradedBeyond('log_loss', 0.5, 0.4, 0.05)).toBe(true);
    expect(degradedBeyond('log_loss', 0.3, 0.4, 0.05)).toBe(false);
  });

  it('never calls an undefined value degraded', () => {
    expect(degradedBeyond('auc', NaN, 0.9, 0.05)).toBe(false);
    expect(degradedBeyond('auc', 0.5, NaN, 0.05)).toBe(false);
  });
});

describe('realisedMetrics', () => {
  it('leaves AUC out while the labels hold one class', () => {
    expect(realisedMetrics('classification', [1, 1, 1], [0.9, 0.8, 0.3])).not.toHaveProperty('auc');
  });
});
