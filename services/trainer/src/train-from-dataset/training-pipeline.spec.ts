import { featureMatrix, InvalidTrainingData, ReferenceProfile } from '@mlops/ml';
import { runTrainingPipeline } from './training-pipeline';

/** y = 1 when x0 + x1 > 0, rows in scrambled time order. */
function dataset(rows: number) {
  const values = new Float64Array(rows * 2);
  const labels = new Float64Array(rows);
  const timestamps = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    values[2 * r] = Math.sin(r * 1.3) * 3;
    values[2 * r + 1] = Math.cos(r * 0.7) * 2;
    labels[r] = values[2 * r] + values[2 * r + 1] > 0 ? 1 : 0;
    timestamps[r] = ((r * 37) % rows) * 1000;
  }
  return { dataset: { features: featureMatrix(values, 2, ['v__a', 'v__b']), labels }, timestamps };
}

describe('runTrainingPipeline', () => {
  it('holds out the latest rows under the time policy and reports classifier metrics on them', () => {
    const { dataset: data, timestamps } = dataset(500);
    const result = runTrainingPipeline({
      algorithm: 'logistic_regression',
      hyperparameters: { l2: 0.1 },
      split: { policy: 'time', holdoutFraction: 0.2 },
      seed: 0,
      dataset: data,
      timestamps,
    });
    expect(result.trainRows).toBe(400);
    expect(result.holdoutRows).toBe(100);
    expect(Object.keys(result.metrics).sort()).toEqual(['accuracy', 'auc', 'brier', 'f1', 'log_loss', 'precision', 'recall']);
    expect(result.metrics.auc).toBeGreaterThan(0.95);
    expect(result.params).toMatchObject({ l2: 0.1 });
    expect(ReferenceProfile.parse(result.profile).rowCount).toBe(400);
    expect(result.profile.features.map((c) => c.name)).toEqual(['v__a', 'v__b']);
    expect(result.profile.predictions.map((c) => [c.name, c.kind])).toEqual([
      ['probability', 'numeric'],
      ['label', 'categorical'],
    ]);
  });

  it('evaluates regressors with rmse, mae and r2', () => {
    const { dataset: data } = dataset(300);
    const labels = Float64Array.from({ length: 300 }, (_, r) => 2 * data.features.values[2 * r] + 1);
    const result = runTrainingPipeline({
      algorithm: 'linear_regression',
      hyperparameters: {},
      split: { policy: 'random', holdoutFraction: 0.25 },
      seed: 3,
      dataset: { ...data, labels },
    });
    expect(result.metrics.r2).toBeGreaterThan(0.999);
    expect(Object.keys(result.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(result.profile.predictions[0].name).toBe('prediction');
  });

  it('refuses the time split without timestamps and a dataset too small to hold out', () => {
    const { dataset: data } = dataset(50);
    const base = { algorithm: 'gbdt_classifier' as const, hyperparameters: {}, seed: 0, dataset: data };
    expect(() => runTrainingPipeline({ ...base, split: { policy: 'time', holdoutFraction: 0.2 } })).toThrow('the time split needs a timestamp column');
    const tiny = { features: featureMatrix(Float64Array.from([1, 2]), 1), labels: Float64Array.from([0, 1]) };
    expect(() => runTrainingPipeline({ ...base, dataset: tiny, split: { policy: 'random', holdoutFraction: 0.1 } })).toThrow(InvalidTrainingData);
  });
});
