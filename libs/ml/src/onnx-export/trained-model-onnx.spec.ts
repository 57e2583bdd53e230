/** @jest-environment ./libs/ml/src/test-support/onnxruntime-environment.js */
import { createHash } from 'node:crypto';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { inspectOnnxModel } from '../onnx-model-inspector';
import { readOnnxModelHeader } from '../onnx-model-header';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic-datasets';
import { FeatureMatrix, LabeledDataset } from '../training/dataset';
import { BuiltInAlgorithm, exportOnnx, isClassifier, predict, trainModel } from '../training/train-model';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function runOnnx(bytes: Uint8Array, features: FeatureMatrix) {
  const session = await InferenceSession.create(bytes);
  try {
    return await session.run({ features: new Tensor('float32', Float32Array.from(features.values), [features.rows, features.cols]) });
  } finally {
    await session.release();
  }
}

const cases: { algorithm: BuiltInAlgorithm; params: Record<string, number>; data: (seed: number) => LabeledDataset }[] = [
  { algorithm: 'logistic_regression', params: { l2: 0.5 }, data: (seed) => syntheticClassification({ rows: 1500, features: 6, seed, missingRate: 0.05 }) },
  { algorithm: 'linear_regression', params: { l2: 1 }, data: (seed) => syntheticRegression({ rows: 1500, features: 6, seed, missingRate: 0.05 }) },
  {
    algorithm: 'gbdt_classifier',
    params: { numIterations: 40, numLeaves: 15, rowSubsample: 0.8, colSubsample: 0.7, minChildSamples: 10 },
    data: (seed) => syntheticClassification({ rows: 1500, features: 6, seed, missingRate: 0.05 }),
  },
  {
    algorithm: 'gbdt_regressor',
    params: { numIterations: 40, maxDepth: 4, rowSubsample: 0.8, colSubsample: 0.7, minChildSamples: 10 },
    data: (seed) => syntheticRegression({ rows: 1500, features: 6, seed, missingRate: 0.05 }),
  },
];

describe.each(cases)('ONNX export of $algorithm', ({ algorithm, params, data }) => {
  const train = data(1);
  const holdout = data(2);
  const { model } = trainModel(algorithm, train, params, { seed: 7 });
  const bytes = exportOnnx(model);

  it('runs in onnxruntime with outputs equal to the trainer predictions within 1e-5, missing values included', async () => {
    const expected = predict(model, holdout.features);
    const outputs = await runOnnx(bytes, holdout.features);
    const n = holdout.features.rows;
    if (isClassifier(algorithm)) {
      const probabilities = outputs.probabilities.data as Float32Array;
      const labels = outputs.label.data as BigInt64Array;
      expect(outputs.probabilities.dims).toEqual([n, 2]);
      expect(outputs.label.dims).toEqual([n]);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(probabilities[2 * i + 1] - expected[i])).toBeLessThanOrEqual(1e-5);
        expect(Math.abs(probabilities[2 * i] - (1 - expected[i]))).toBeLessThanOrEqual(1e-5);
        // the label can only differ where the probability sits at 0.5 within float error
        if (Math.abs(expected[i] - 0.5) > 1e-5) expect(Number(labels[i])).toBe(expected[i] > 0.5 ? 1 : 0);
      }
    } else {
      const prediction = outputs.prediction.data as Float32Array;
      expect(outputs.prediction.dims).toEqual([n, 1]);
      for (let i = 0; i < n; i++) expect(Math.abs(prediction[i] - expected[i])).toBeLessThanOrEqual(1e-5);
    }
  });

  it('has the documented signature, read back by inspectOnnxModel', async () => {
    const signature = await inspectOnnxModel(bytes);
    expect(signature.inputs).toEqual([{ name: 'features', elementType: 'float32', shape: [null, 6] }]);
    expect(signature.outputs).toEqual(
      isClassifier(algorithm)
        ? [
            { name: 'label', elementType: 'int64', shape: [null] },
            { name: 'probabilities', elementType: 'float32', shape: [null, 2] },
          ]
        : [{ name: 'prediction', elementType: 'float32', shape: [null, 1] }],
    );
    expect(signature.opset).toBe(17);
    expect(signature.producer).toBe('mlops-trainer 1');
    const header = readOnnxModelHeader(bytes);
    expect(header.irVersion).toBe(8);
    expect(header.opsets['ai.onnx.ml']).toBe(3);
  });

  it('gives byte-identical files for the same data, params and seed', () => {
    const again = exportOnnx(trainModel(algorithm, data(1), params, { seed: 7 }).model);
    expect(sha256(again)).toBe(sha256(bytes));
  });

  it('gives a different file for different data', () => {
    const other = exportOnnx(trainModel(algorithm, data(3), params, { seed: 7 }).model);
    expect(sha256(other)).not.toBe(sha256(bytes));
  });
});

describe('GBDT seeds', () => {
  it('change the model when rows and features are subsampled', () => {
    const data = syntheticClassification({ rows: 800, features: 5, seed: 4 });
    const params = { numIterations: 10, rowSubsample: 0.7, colSubsample: 0.6 };
    const a = exportOnnx(trainModel('gbdt_classifier', data, params, { seed: 1 }).model);
    const b = exportOnnx(trainModel('gbdt_classifier', data, params, { seed: 2 }).model);
    expect(sha256(a)).not.toBe(sha256(b));
  });
});
