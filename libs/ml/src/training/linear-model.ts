import { FeatureMatrix, InvalidTrainingData } from './dataset';
import { sigmoid } from './loss-curve';

/**
 * A linear model over standardized features. Parameters are float32 values (what the ONNX graph holds), so
 * predict() computes what the exported model computes: missing -> mean, (x - mean) / scale, w·z + b.
 */
export interface LinearModel {
  algorithm: 'logistic_regression' | 'linear_regression';
  featureNames: string[];
  means: Float32Array;
  scales: Float32Array;
  weights: Float32Array;
  bias: number;
}

export interface Standardization {
  means: Float32Array;
  scales: Float32Array;
  /** Row-major standardized copy of the features, missing values imputed by the mean (hence 0). */
  standardized: Float64Array;
}

export function standardize(features: FeatureMatrix): Standardization {
  const { rows, cols, values } = features;
  const sums = new Float64Array(cols);
  const counts = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = Math.fround(values[r * cols + c]);
      if (x === x) {
        sums[c] += x;
        counts[c]++;
      }
    }
  }
  const means = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    if (counts[c] === 0) throw new InvalidTrainingData(`feature ${features.featureNames[c]} has no values`);
    means[c] = sums[c] / counts[c];
  }
  const squares = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = Math.fround(values[r * cols + c]);
      if (x === x) squares[c] += (x - means[c]) ** 2;
    }
  }
  const scales = new Float32Array(cols);
  // A constant feature keeps scale 1: dividing by ~0 would only amplify float noise.
  for (let c = 0; c < cols; c++) scales[c] = Math.sqrt(squares[c] / counts[c]) > 1e-12 ? Math.sqrt(squares[c] / counts[c]) : 1;
  const standardized = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) standardized[r * cols + c] = standardizeValue(values[r * cols + c], means[c], scales[c]);
  }
  return { means, scales, standardized };
}

function standardizeValue(x: number, mean: number, scale: number): number {
  const v = Math.fround(x);
  return v === v ? (v - mean) / scale : 0;
}

/** Raw linear scores w·z + b. */
export function linearScores(model: LinearModel, features: FeatureMatrix): Float64Array {
  const { rows, cols, values } = features;
  if (cols !== model.weights.length) throw new InvalidTrainingData(`model expects ${model.weights.length} features, got ${cols}`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = model.bias;
    for (let c = 0; c < cols; c++) z += model.weights[c] * standardizeValue(values[r * cols + c], model.means[c], model.scales[c]);
    out[r] = z;
  }
  return out;
}

/** Probability of class 1 for logistic regression, the prediction for linear regression. */
export function predictLinear(model: LinearModel, features: FeatureMatrix): Float64Array {
  const scores = linearScores(model, features);
  if (model.algorithm === 'logistic_regression') for (let i = 0; i < scores.length; i++) scores[i] = sigmoid(scores[i]);
  return scores;
}
