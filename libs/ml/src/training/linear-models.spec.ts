import { syntheticClassification } from '../test-support/synthetic-datasets';
import { featureMatrix, InvalidTrainingData } from './dataset';
import { predictLinear } from './linear-model';
import { trainLinearRegression } from './linear-regression';
import { trainLogisticRegression } from './logistic-regression';
import { InvalidHyperparameters, trainModel } from './train-model';

describe('trainLinearRegression', () => {
  it('recovers an exact linear relation, intercept included', () => {
    const x = [1, 2, 2, 0, 3, 5, -1, 4, 0.5, -2, 6, 1];
    const features = featureMatrix(Float64Array.from(x), 2);
    const labels = Float64Array.from({ length: 6 }, (_, r) => 2 * x[2 * r] - 3 * x[2 * r + 1] + 5);
    const { model, lossCurve } = trainLinearRegression({ features, labels });
    const predictions = predictLinear(model, features);
    predictions.forEach((p, i) => expect(p).toBeCloseTo(labels[i], 4));
    expect(lossCurve).toHaveLength(1);
    expect(lossCurve[0].trainLoss).toBeLessThan(1e-8);
  });

  it('imputes a missing value with the training mean', () => {
    const features = featureMatrix(Float64Array.from([1, 2, 3, 4]), 1);
    const { model } = trainLinearRegression({ features, labels: Float64Array.from([2, 4, 6, 8]) });
    expect(predictLinear(model, featureMatrix(Float64Array.from([NaN]), 1))[0]).toBeCloseTo(5, 4);
  });
});

describe('trainLogisticRegression', () => {
  const data = syntheticClassification({ rows: 600, features: 4, seed: 11 });

  it('reaches the optimum of the L2-penalized log loss (zero gradient)', () => {
    const l2 = 2;
    const { model } = trainLogisticRegression(data, { l2 });
    const { rows, cols, values } = data.features;
    const p = predictLinear(model, data.features);
    const gradient = new Float64Array(cols + 1);
    for (let r = 0; r < rows; r++) {
      const g = p[r] - data.labels[r];
      for (let c = 0; c < cols; c++) gradient[c] += g * ((Math.fround(values[r * cols + c]) - model.means[c]) / model.scales[c]);
      gradient[cols] += g;
    }
    for (let c = 0; c < cols; c++) gradient[c] += l2 * model.weights[c];
    // float32 parameters leave a tiny residual; a non-converged fit is orders of magnitude further off
    gradient.forEach((g) => expect(Math.abs(g) / rows).toBeLessThan(1e-5));
  });

  it('shrinks the weights as the penalty grows', () => {
    const norm = (w: Float32Array) => Math.hypot(...w);
    expect(norm(trainLogisticRegression(data, { l2: 100 }).model.weights)).toBeLessThan(norm(trainLogisticRegression(data, { l2: 0.01 }).model.weights));
  });

  it('records a non-increasing loss curve', () => {
    const { lossCurve } = trainLogisticRegression(data);
    expect(lossCurve.length).toBeGreaterThan(1);
    for (let i = 1; i < lossCurve.length; i++) expect(lossCurve[i].trainLoss).toBeLessThanOrEqual(lossCurve[i - 1].trainLoss + 1e-12);
  });

  it('refuses labels that are not 0/1 and a single class', () => {
    const features = featureMatrix(Float64Array.from([1, 2]), 1);
    expect(() => trainLogisticRegression({ features, labels: Float64Array.from([0, 2]) })).toThrow(InvalidTrainingData);
    expect(() => trainLogisticRegression({ features, labels: Float64Array.from([1, 1]) })).toThrow('the labels hold a single class');
  });
});

describe('hyperparameters', () => {
  const data = syntheticClassification({ rows: 100, features: 2, seed: 1 });

  it('names the field and the reason of a bad value', () => {
    expect(() => trainModel('gbdt_classifier', data, { numLeaves: 1 })).toThrow(/numLeaves: /);
    const error = (() => {
      try {
        trainModel('gbdt_classifier', data, { numLeaves: 1, learningRate: 'fast' });
      } catch (err) {
        return err;
      }
    })();
    expect(error).toBeInstanceOf(InvalidHyperparameters);
    expect((error as InvalidHyperparameters).issues.map((i) => i.field).sort()).toEqual(['learningRate', 'numLeaves']);
  });

  it('refuses unknown hyperparameters by name', () => {
    expect(() => trainModel('logistic_regression', data, { C: 1 })).toThrow(/C: /);
  });

  it('reports the values actually used, defaults included', () => {
    expect(trainModel('logistic_regression', data, { l2: 3 }).params).toEqual({ l2: 3, maxIterations: 100, tolerance: 1e-10 });
  });
});
