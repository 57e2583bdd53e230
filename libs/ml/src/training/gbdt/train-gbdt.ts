import { availableParallelism } from 'node:os';
import { LabeledDataset, randomSplit, validateLabels } from '../dataset';
import { LossPoint, meanLogLossOfScores, meanSquaredError } from '../loss-curve';
import { SeededRandom } from '../random';
import { applyBins, fitBins, missingBin } from './feature-binner';
import { GbdtModel, RegressionTree } from './gbdt-model';
import { GbdtParams } from './gbdt-params';
import { BinnedTree, binnedTreeValue, SPLIT_HISTOGRAM_ROWS, TreeBuilder } from './tree-builder';

export interface GbdtTrainingResult {
  model: GbdtModel;
  lossCurve: LossPoint[];
  /** Number of trees kept (the best validation round under early stopping). */
  bestIteration: number;
}

export interface GbdtTrainingOptions {
  seed?: number;
  /** Early-stopping split; when absent and early stopping is on, validationFraction of the rows is held out. */
  validation?: LabeledDataset;
  /** Called after every boosting round, e.g. to drive a progress bar. */
  onIteration?: (point: LossPoint, total: number) => void;
  /**
   * Threads building histograms: 1, or 2 to put a helper thread on the larger ones (default: 2 when the machine
   * has two cores). The model is byte-identical whatever this is; small datasets always train on one thread.
   */
  threads?: 1 | 2;
}

/** Below this many training rows no histogram is large enough to be split, so a helper thread would sit idle. */
const HELPER_THREAD_MIN_ROWS = 2 * SPLIT_HISTOGRAM_ROWS;

/** Gradient boosting with binary log loss (classifier) or squared error (regressor). */
export function trainGbdt(
  algorithm: GbdtModel['algorithm'],
  input: LabeledDataset,
  paramsInput: Partial<GbdtParams> = {},
  options: GbdtTrainingOptions = {},
): GbdtTrainingResult {
  const params = GbdtParams.parse(paramsInput);
  const seed = options.seed ?? 0;
  const binary = algorithm === 'gbdt_classifier';
  validateLabels(input, binary);
  let train = input;
  let validation = options.validation;
  if (!validation && params.earlyStoppingRounds > 0) [train, validation] = randomSplit(input, params.validationFraction, seed);
  if (validation) validateLabels(validation, binary);

  const { rows, cols } = train.features;
  const y = train.labels;
  const featureBins = fitBins(train.features, params.maxBins, seed);
  const bins = applyBins(featureBins, train.features);
  const missingBins = Int32Array.from({ length: cols }, (_, f) => missingBin(featureBins, f));
  const validationBins = validation ? applyBins(featureBins, validation.features) : null;

  const baseScore = Math.fround(initialScore(y, binary));
  const scores = new Float64Array(rows).fill(baseScore);
  const validationScores = validation ? new Float64Array(validation.labels.length).fill(baseScore) : null;
  const threads = rows >= HELPER_THREAD_MIN_ROWS ? (options.threads ?? (availableParallelism() > 1 ? 2 : 1)) : 1;
  // the helper thread reads the gradients where they are written
  const gradHess = new Float64Array(new (threads > 1 ? SharedArrayBuffer : ArrayBuffer)(rows * 2 * Float64Array.BYTES_PER_ELEMENT));
  const builder = new TreeBuilder(bins, rows, cols, featureBins, gradHess, params, threads);
  const random = new SeededRandom(seed + 1);
  const allRows = Int32Array.from({ length: rows }, (_, i) => i);
  const allFeatures = Int32Array.from({ length: cols }, (_, i) => i);
  const inBag = new Uint8Array(rows);

  const complete = (point: LossPoint, trainLoss: number) => {
    point.trainLoss = trainLoss;
    options.onIteration?.(point, params.numIterations);
  };
  const trees: BinnedTree[] = [];
  const lossCurve: LossPoint[] = [];
  let bestIteration = 0;
  let bestValidationLoss = Infinity;
  try {
    for (let iteration = 1; iteration <= params.numIterations; iteration++) {
      const previousLoss = computeGradients(scores, y, binary, gradHess);
      if (iteration > 1) complete(lossCurve[iteration - 2], previousLoss);
      const bag = params.rowSubsample < 1 ? sampleRows(rows, params.rowSubsample, random) : allRows;
      const features = params.colSubsample < 1 ? sampleFeatures(cols, params.colSubsample, random) : allFeatures;
      if (bag !== allRows) {
        inBag.fill(0);
        for (let i = 0; i < bag.length; i++) inBag[bag[i]] = 1;
      }
      const tree = builder.grow(bag, features, (leafRows, value) => {
        for (let i = 0; i < leafRows.length; i++) scores[leafRows[i]] += value;
      });
      if (bag !== allRows) {
        for (let r = 0; r < rows; r++) if (!inBag[r]) scores[r] += binnedTreeValue(tree, bins, r * cols, missingBins);
      }
      trees.push(tree);
      // the training loss of these scores comes out of the next round's gradient pass
      const point: LossPoint = { iteration, trainLoss: NaN };
      if (validation && validationScores && validationBins) {
        for (let r = 0; r < validationScores.length; r++) validationScores[r] += binnedTreeValue(tree, validationBins, r * cols, missingBins);
        point.validationLoss = loss(validationScores, validation.labels, binary);
        if (point.validationLoss < bestValidationLoss) {
          bestValidationLoss = point.validationLoss;
          bestIteration = iteration;
        }
      } else {
        bestIteration = iteration;
      }
      lossCurve.push(point);
      if (params.earlyStoppingRounds > 0 && validation && iteration - bestIteration >= params.earlyStoppingRounds) break;
    }
  } finally {
    builder.close();
  }
  complete(lossCurve[lossCurve.length - 1], loss(scores, y, binary));
  const model: GbdtModel = {
    algorithm,
    featureNames: [...train.features.featureNames],
    baseScore,
    trees: trees.slice(0, bestIteration).map((tree) => toRegressionTree(tree, featureBins.thresholds)),
  };
  return { model, lossCurve, bestIteration };
}

function initialScore(y: Float64Array, binary: boolean): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += y[i];
  const mean = sum / y.length;
  return binary ? Math.log(mean / (1 - mean)) : mean;
}

const LOG_BATCH = 512;

/** Fills interleaved (gradient, hessian) pairs and returns the mean loss of the scores, in one pass. */
function computeGradients(scores: Float64Array, y: Float64Array, binary: boolean, gradHess: Float64Array): number {
  let total = 0;
  if (binary) {
    // log loss = max(z, 0) + log(1 + e) - y z: the log terms are summed as the log of their product, one log per
    // LOG_BATCH rows instead of one per row (each factor is in (1, 2], so a batch's product cannot overflow)
    let product = 1;
    for (let i = 0; i < scores.length; i++) {
      const z = scores[i];
      const e = Math.exp(-Math.abs(z));
      const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      gradHess[2 * i] = p - y[i];
      gradHess[2 * i + 1] = Math.max(p * (1 - p), 1e-16);
      total += Math.max(z, 0) - y[i] * z;
      product *= 1 + e;
      if ((i & (LOG_BATCH - 1)) === LOG_BATCH - 1) {
        total += Math.log(product);
        product = 1;
      }
    }
    total += Math.log(product);
  } else {
    for (let i = 0; i < scores.length; i++) {
      const d = scores[i] - y[i];
      gradHess[2 * i] = d;
      gradHess[2 * i + 1] = 1;
      total += d * d;
    }
  }
  return total / scores.length;
}

function loss(scores: Float64Array, y: Float64Array, binary: boolean): number {
  return binary ? meanLogLossOfScores(scores, y) : meanSquaredError(scores, y);
}

function sampleRows(rows: number, fraction: number, random: SeededRandom): Int32Array {
  const picked: number[] = [];
  for (let r = 0; r < rows; r++) if (random.next() < fraction) picked.push(r);
  if (picked.length === 0) picked.push(random.int(rows));
  return Int32Array.from(picked);
}

function sampleFeatures(cols: number, fraction: number, random: SeededRandom): Int32Array {
  const take = Math.max(1, Math.round(cols * fraction));
  return random.permutation(cols).subarray(0, take).sort();
}

function toRegressionTree(tree: BinnedTree, thresholds: Float32Array[]): RegressionTree {
  const n = tree.feature.length;
  const threshold = new Float32Array(n);
  for (let i = 0; i < n; i++) if (tree.feature[i] >= 0) threshold[i] = thresholds[tree.feature[i]][tree.splitBin[i]];
  return {
    feature: Int32Array.from(tree.feature),
    threshold,
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    missingLeft: Uint8Array.from(tree.missingLeft),
    value: Float32Array.from(tree.value),
  };
}
