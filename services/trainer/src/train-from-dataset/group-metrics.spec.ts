import { featureMatrix, InvalidTrainingData } from '@mlops/ml';
import { groupColumns, holdoutGroupMetrics } from './group-metrics';
import { runTrainingPipeline } from './training-pipeline';

describe('per-group holdout metrics', () => {
  it('finds each sensitive attribute among the features, refusing one that is not', () => {
    expect(groupColumns(['v:minutes', 'v:region'], ['v:region'])).toEqual([{ attribute: 'v:region', column: 1 }]);
    expect(groupColumns(['v:minutes'], undefined)).toEqual([]);
    expect(() => groupColumns(['v:minutes'], ['v:region'])).toThrow(InvalidTrainingData);
  });

  it('computes the metrics of each group of rows sharing a value, leaving out those a group cannot have', () => {
    // rows: [region, x]; region 1 holds both classes, region 2 only positives, one row has no region
    const values = Float64Array.from([1, 0.1, 1, 0.9, 1, 0.8, 2, 0.7, 2, 0.6, Number.NaN, 0.2]);
    const holdout = { features: featureMatrix(values, 2, ['v__region', 'v__x']), labels: Float64Array.from([0, 1, 1, 1, 1, 0]) };
    const predictions = Float64Array.from([0.2, 0.9, 0.4, 0.8, 0.7, 0.1]);
    const metricsOf = (labels: Float64Array, p: Float64Array) => ({
      accuracy: labels.reduce((n, y, i) => n + (y === (p[i] > 0.5 ? 1 : 0) ? 1 : 0), 0) / labels.length,
      spread: labels.every((y) => y === labels[0]) ? Number.NaN : 1,
    });
    const [breakdown] = holdoutGroupMetrics(holdout, predictions, [{ attribute: 'v:region', column: 0 }], metricsOf);
    expect(breakdown).toEqual({
      attribute: 'v:region',
      groups: [
        { value: '1', rows: 3, metrics: { accuracy: 2 / 3, spread: 1 } },
        { value: '2', rows: 2, metrics: { accuracy: 1 } },
        { value: 'missing', rows: 1, metrics: { accuracy: 1 } },
      ],
    });
  });

  it('comes out of the training pipeline with the run\'s own metric set', () => {
    const rows = 400;
    const values = new Float64Array(rows * 2);
    const labels = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      values[2 * r] = r % 2;
      values[2 * r + 1] = Math.sin(r * 1.7) * 3;
      labels[r] = values[2 * r + 1] > 0 ? 1 : 0;
    }
    const result = runTrainingPipeline({
      algorithm: 'logistic_regression',
      hyperparameters: {},
      split: { policy: 'random', holdoutFraction: 0.25 },
      seed: 3,
      dataset: { features: featureMatrix(values, 2, ['v__group', 'v__x']), labels },
      groupBy: [{ attribute: 'v:group', column: 0 }],
    });
    const groups = result.groupMetrics[0].groups;
    expect(groups.map((g) => g.value)).toEqual(['0', '1']);
    expect(groups.reduce((n, g) => n + g.rows, 0)).toBe(result.holdoutRows);
    expect(Object.keys(groups[0].metrics).sort()).toEqual(Object.keys(result.metrics).sort());
  });
});
