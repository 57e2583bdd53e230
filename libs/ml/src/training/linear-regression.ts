import { z } from 'zod';
import { LabeledDataset, validateLabels } from './dataset';
import { solveSpd } from './linear-algebra';
import { standardize } from './linear-model';
import { meanSquaredError } from './loss-curve';
import { LinearTrainingResult, linearModel } from './logistic-regression';

export const LinearRegressionParams = z
  .object({
    /** Ridge penalty l2 · ||w||² on standardized weights added to the summed squared error; 0 is ordinary least squares. */
    l2: z.number().nonnegative().default(0),
  })
  .strict();
export type LinearRegressionParams = z.infer<typeof LinearRegressionParams>;

/** Least squares by the normal equations on standardized features: exact in one step, so the loss curve has one point. */
export function trainLinearRegression(dataset: LabeledDataset, input: Partial<LinearRegressionParams> = {}): LinearTrainingResult {
  const params = LinearRegressionParams.parse(input);
  validateLabels(dataset, false);
  const { rows, cols } = dataset.features;
  const { means, scales, standardized: zs } = standardize(dataset.features);
  const y = dataset.labels;
  let yMean = 0;
  for (let r = 0; r < rows; r++) yMean += y[r];
  yMean /= rows;
  const gram = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const yc = y[r] - yMean;
    for (let i = 0; i < cols; i++) {
      const zi = zs[base + i];
      rhs[i] += zi * yc;
      for (let j = 0; j <= i; j++) gram[i * cols + j] += zi * zs[base + j];
    }
  }
  for (let i = 0; i < cols; i++) {
    gram[i * cols + i] += params.l2 + 1e-9 * rows; // the jitter keeps collinear features solvable
    for (let j = 0; j < i; j++) gram[j * cols + i] = gram[i * cols + j];
  }
  const weights = solveSpd(gram, rhs, cols);
  // Standardized columns are centred, so the intercept is the label mean.
  const theta = new Float64Array(cols + 1);
  theta.set(weights);
  theta[cols] = yMean;
  const model = linearModel('linear_regression', dataset, means, scales, theta);
  const predictions = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = model.bias;
    for (let c = 0; c < cols; c++) s += model.weights[c] * zs[r * cols + c];
    predictions[r] = s;
  }
  return { model, lossCurve: [{ iteration: 1, trainLoss: meanSquaredError(predictions, y) }] };
}
