import { z } from 'zod';
import { LabeledDataset, validateLabels } from './dataset';
import { solveSpd } from './linear-algebra';
import { LinearModel, standardize } from './linear-model';
import { LossPoint, meanLogLossOfScores } from './loss-curve';

export const LogisticRegressionParams = z
  .object({
    /** Penalty 0.5 · l2 · ||w||² added to the summed log loss (l2 = 1/C in scikit-learn terms); the bias is not penalized. */
    l2: z.number().nonnegative().default(1),
    maxIterations: z.number().int().positive().max(1000).default(100),
    /** Stop when the objective improves by less than this fraction. */
    tolerance: z.number().positive().default(1e-10),
  })
  .strict();
export type LogisticRegressionParams = z.infer<typeof LogisticRegressionParams>;

export interface LinearTrainingResult {
  model: LinearModel;
  lossCurve: LossPoint[];
}

/** Newton's method (IRLS) with backtracking on the penalized log loss, in standardized feature space. */
export function trainLogisticRegression(dataset: LabeledDataset, input: Partial<LogisticRegressionParams> = {}): LinearTrainingResult {
  const params = LogisticRegressionParams.parse(input);
  validateLabels(dataset, true);
  const { rows, cols } = dataset.features;
  const { means, scales, standardized: zs } = standardize(dataset.features);
  const y = dataset.labels;
  const dim = cols + 1; // weights then bias
  let theta = new Float64Array(dim);
  const scores = new Float64Array(rows);
  const computeScores = (t: Float64Array, out: Float64Array) => {
    for (let r = 0; r < rows; r++) {
      let s = t[cols];
      for (let c = 0; c < cols; c++) s += t[c] * zs[r * cols + c];
      out[r] = s;
    }
  };
  const objective = (t: Float64Array, s: Float64Array) => {
    let penalty = 0;
    for (let c = 0; c < cols; c++) penalty += t[c] * t[c];
    return meanLogLossOfScores(s, y) * rows + 0.5 * params.l2 * penalty;
  };
  computeScores(theta, scores);
  let current = objective(theta, scores);
  const lossCurve: LossPoint[] = [];
  const trial = new Float64Array(rows);
  for (let iteration = 1; iteration <= params.maxIterations; iteration++) {
    const gradient = new Float64Array(dim);
    const hessian = new Float64Array(dim * dim);
    for (let r = 0; r < rows; r++) {
      const p = 1 / (1 + Math.exp(-scores[r]));
      const g = p - y[r];
      const w = Math.max(p * (1 - p), 1e-12);
      const base = r * cols;
      for (let i = 0; i < cols; i++) {
        const zi = zs[base + i];
        gradient[i] += g * zi;
        const wzi = w * zi;
        for (let j = 0; j <= i; j++) hessian[i * dim + j] += wzi * zs[base + j];
        hessian[cols * dim + i] += wzi;
      }
      gradient[cols] += g;
      hessian[cols * dim + cols] += w;
    }
    for (let i = 0; i < cols; i++) {
      gradient[i] += params.l2 * theta[i];
      hessian[i * dim + i] += params.l2;
    }
    for (let i = 0; i < dim; i++) {
      hessian[i * dim + i] += 1e-9 * rows; // keeps separable data solvable without visibly biasing the fit
      for (let j = 0; j < i; j++) hessian[j * dim + i] = hessian[i * dim + j];
    }
    const step = solveSpd(hessian, gradient, dim);
    let stepSize = 1;
    let next = theta;
    let nextObjective = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      const candidate = new Float64Array(dim);
      for (let i = 0; i < dim; i++) candidate[i] = theta[i] - stepSize * step[i];
      computeScores(candidate, trial);
      const value = objective(candidate, trial);
      if (value <= current) {
        next = candidate;
        nextObjective = value;
        break;
      }
      stepSize /= 2;
    }
    const improvement = current - nextObjective;
    if (next !== theta) {
      theta = next;
      computeScores(theta, scores);
    }
    lossCurve.push({ iteration, trainLoss: meanLogLossOfScores(scores, y) });
    const converged = improvement <= params.tolerance * Math.max(1, Math.abs(current));
    current = nextObjective;
    if (converged) break;
  }
  return { model: linearModel('logistic_regression', dataset, means, scales, theta), lossCurve };
}

export function linearModel(
  algorithm: LinearModel['algorithm'],
  dataset: LabeledDataset,
  means: Float32Array,
  scales: Float32Array,
  theta: Float64Array,
): LinearModel {
  const cols = means.length;
  return {
    algorithm,
    featureNames: [...dataset.features.featureNames],
    means,
    scales,
    weights: Float32Array.from(theta.subarray(0, cols)),
    bias: Math.fround(theta[cols]),
  };
}
