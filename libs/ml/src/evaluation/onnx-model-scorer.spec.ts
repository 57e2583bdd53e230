/** @jest-environment ./libs/ml/src/test-support/onnxruntime-environment.js */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic-datasets';
import { FeatureMatrix, featureMatrix } from '../training/dataset';
import { exportOnnx, predict, trainModel } from '../training/train-model';
import { IncompatibleModel, scoreOnnxModel } from './onnx-model-scorer';

const fixture = (name: string) => readFileSync(join(__dirname, 'test-fixtures', name));
const sharedModel = (name: string) => readFileSync(join(__dirname, '../../../../test/fixtures/models', name));
const expected = JSON.parse(fixture('expected-scores.json').toString('utf8')) as {
  forest: { features: number[][]; probabilities: number[] };
  regression: { features: number[][]; predictions: number[] };
};
const matrix = (rows: number[][]): FeatureMatrix => featureMatrix(Float64Array.from(rows.flat()), rows[0].length);

function expectClose(actual: Float64Array, wanted: ArrayLike<number>, tolerance: number): void {
  expect(actual).toHaveLength(wanted.length);
  for (let i = 0; i < wanted.length; i++) expect(Math.abs(actual[i] - wanted[i])).toBeLessThanOrEqual(tolerance);
}

describe('scoreOnnxModel', () => {
  const classification = syntheticClassification({ rows: 800, features: 5, seed: 21, missingRate: 0.03 });
  const regression = syntheticRegression({ rows: 800, features: 5, seed: 22, missingRate: 0.03 });

  it.each(['gbdt_classifier', 'logistic_regression'] as const)('scores our own %s export as the trainer predicts it', async (algorithm) => {
    const model = trainModel(algorithm, classification, algorithm.startsWith('gbdt') ? { numIterations: 20, minChildSamples: 5 } : {}, { seed: 1 }).model;
    const scores = await scoreOnnxModel(exportOnnx(model), classification.features, 'classification');
    expectClose(scores, predict(model, classification.features), 1e-5);
  });

  it.each(['gbdt_regressor', 'linear_regression'] as const)('scores our own %s export as the trainer predicts it', async (algorithm) => {
    const model = trainModel(algorithm, regression, algorithm.startsWith('gbdt') ? { numIterations: 20, minChildSamples: 5 } : {}, { seed: 1 }).model;
    const wanted = predict(model, regression.features);
    const scores = await scoreOnnxModel(exportOnnx(model), regression.features, 'regression');
    // float32 inside the graph: relative to the values' scale
    const scale = Math.max(...Array.from(wanted, Math.abs));
    expectClose(scores, wanted, scale * 1e-5);
  });

  it("reads P(class 1) from skl2onnx's ZipMap output, as scikit-learn computes it", async () => {
    const scores = await scoreOnnxModel(fixture('sklearn-forest-zipmap-4.onnx'), matrix(expected.forest.features), 'classification');
    expectClose(scores, expected.forest.probabilities, 1e-5);
  });

  it("reads a skl2onnx regressor's output, as scikit-learn computes it", async () => {
    const scores = await scoreOnnxModel(fixture('sklearn-linear-regression-3.onnx'), matrix(expected.regression.features), 'regression');
    const scale = Math.max(...expected.regression.predictions.map(Math.abs));
    expectClose(scores, expected.regression.predictions, scale * 1e-5);
  });

  it.each([
    ['sklearn-logreg-20.onnx', 20, 'probabilities'],
    ['lightgbm-classifier-10.onnx', 10, 'probabilities'],
    ['torch-mlp-8.onnx', 8, 'probability'],
  ])('reads the probability column of %s', async (file, cols, outputName) => {
    const features = syntheticClassification({ rows: 64, features: cols, seed: 3 }).features;
    const bytes = sharedModel(file);
    const session = await InferenceSession.create(bytes);
    const raw = await session.run({ [session.inputNames[0]]: new Tensor('float32', Float32Array.from(features.values), [features.rows, cols]) });
    await session.release();
    const tensor = raw[outputName].data as Float32Array;
    const width = tensor.length / features.rows;
    const wanted = Array.from({ length: features.rows }, (_, r) => tensor[r * width + width - 1]);
    expectClose(await scoreOnnxModel(bytes, features, 'classification'), wanted, 0);
  });

  it('refuses a model trained on another number of features', async () => {
    const model = trainModel('logistic_regression', classification, {}, { seed: 1 }).model;
    const three = syntheticClassification({ rows: 10, features: 3, seed: 2 }).features;
    await expect(scoreOnnxModel(exportOnnx(model), three, 'classification')).rejects.toThrow(IncompatibleModel);
    await expect(scoreOnnxModel(sharedModel('sklearn-logreg-20.onnx'), three, 'classification')).rejects.toThrow(/takes 20 features, the data has 3/);
  });

  it('refuses our model on features of the same count but other names', async () => {
    const model = trainModel('logistic_regression', classification, {}, { seed: 1 }).model;
    const renamed = { ...classification.features, featureNames: ['a', 'b', 'c', 'd', 'e'] };
    await expect(scoreOnnxModel(exportOnnx(model), renamed, 'classification')).rejects.toThrow(/trained on features \[f0, f1, f2, f3, f4\], the data has \[a, b, c, d, e\]/);
  });

  it('refuses a regressor where a classifier is scored, and the other way round', async () => {
    const regressor = trainModel('linear_regression', regression, {}, { seed: 1 }).model;
    await expect(scoreOnnxModel(exportOnnx(regressor), regression.features, 'classification')).rejects.toThrow(/linear_regression, not a classifier/);
    const classifier = trainModel('logistic_regression', classification, {}, { seed: 1 }).model;
    await expect(scoreOnnxModel(exportOnnx(classifier), classification.features, 'regression')).rejects.toThrow(/not a regressor/);
    await expect(scoreOnnxModel(sharedModel('sklearn-logreg-20.onnx'), syntheticRegression({ rows: 5, features: 20, seed: 1 }).features, 'regression')).rejects.toThrow(
      /no single-valued float output/,
    );
  });

  it('refuses bytes that are not a model', async () => {
    await expect(scoreOnnxModel(new TextEncoder().encode('not a model at all'), classification.features, 'classification')).rejects.toThrow(IncompatibleModel);
  });
});
