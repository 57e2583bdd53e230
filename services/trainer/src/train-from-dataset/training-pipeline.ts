import {
  buildReferenceProfile,
  BuiltInAlgorithm,
  classificationMetrics,
  exportOnnx,
  featureMatrixColumns,
  InvalidTrainingData,
  isClassifier,
  LabeledDataset,
  LossPoint,
  predict,
  ProfileInput,
  randomSplit,
  ReferenceProfile,
  regressionMetrics,
  selectRows,
  trainModel,
  withHoldoutCalibration,
} from '@mlops/ml';
import { GroupBy, GroupMetrics, holdoutGroupMetrics } from './group-metrics';

export interface PipelineInput {
  algorithm: BuiltInAlgorithm;
  hyperparameters: Record<string, unknown>;
  split: { policy: 'time' | 'random'; holdoutFraction: number };
  seed: number;
  dataset: LabeledDataset;
  /** Epoch milliseconds per row; required by the time split. */
  timestamps?: Float64Array;
  /** Called after every boosting round of GBDT; linear models report no iterations. */
  onIteration?: (iteration: number, total: number) => void;
  /** Sensitive attributes to break the holdout metrics down by. */
  groupBy?: GroupBy[];
}

export interface PipelineResult {
  onnx: Uint8Array;
  params: Record<string, number>;
  /** Holdout metrics: auc, log_loss, accuracy, precision, recall, f1, brier for classifiers; rmse, mae, r2 for regressors. */
  metrics: Record<string, number>;
  lossCurve: LossPoint[];
  /** Training features and the model's predictions on them. */
  profile: ReferenceProfile;
  trainRows: number;
  holdoutRows: number;
  /** The rows the metrics were computed on, so another model (the champion) can be scored on exactly them. */
  holdout: LabeledDataset;
  /** The holdout metrics per group of each sensitive attribute. */
  groupMetrics: GroupMetrics[];
}

/** Split, train, evaluate on the holdout, profile, export: everything a run computes, without I/O. */
export function runTrainingPipeline(input: PipelineInput): PipelineResult {
  const [train, holdout] = splitHoldout(input);
  if (train.features.rows === 0 || holdout.features.rows === 0) {
    throw new InvalidTrainingData(`${input.dataset.features.rows} rows are too few for a holdout of ${input.split.holdoutFraction}`);
  }
  const onIteration = input.onIteration;
  const outcome = trainModel(input.algorithm, train, input.hyperparameters, {
    seed: input.seed,
    ...(onIteration ? { onIteration: (point: LossPoint, total: number) => onIteration(point.iteration, total) } : {}),
  });
  const holdoutPredictions = predict(outcome.model, holdout.features);
  const task = isClassifier(input.algorithm) ? 'classification' : 'regression';
  const metrics = holdoutMetrics(task, holdout.labels, holdoutPredictions);
  const trainPredictions = predict(outcome.model, train.features);
  return {
    onnx: exportOnnx(outcome.model),
    params: outcome.params,
    metrics,
    lossCurve: outcome.lossCurve,
    profile: monitoringReference(input.algorithm, train.features, trainPredictions, holdout.labels, holdoutPredictions),
    trainRows: train.features.rows,
    holdoutRows: holdout.features.rows,
    holdout,
    groupMetrics: holdoutGroupMetrics(holdout, holdoutPredictions, input.groupBy ?? [], (labels, predictions) => holdoutMetrics(task, labels, predictions)),
  };
}

/** Time policy: the latest rows (by timestamp, ties in file order) are the holdout; random policy: a seeded draw. */
export function splitHoldout(input: PipelineInput): [LabeledDataset, LabeledDataset] {
  const { dataset, split, seed, timestamps } = input;
  if (split.policy === 'random') return randomSplit(dataset, split.holdoutFraction, seed);
  if (!timestamps) throw new InvalidTrainingData('the time split needs a timestamp column in the dataset');
  const n = dataset.features.rows;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => timestamps[a] - timestamps[b] || a - b);
  const held = Math.round(n * split.holdoutFraction);
  return [selectRows(dataset, order.slice(0, n - held)), selectRows(dataset, order.slice(n - held))];
}

/** The metric set of a run, for the run's own model and for any other model scored on the same holdout. */
export function holdoutMetrics(task: 'classification' | 'regression', labels: Float64Array, predictions: Float64Array): Record<string, number> {
  return task === 'classification' ? classifierMetrics(labels, predictions) : regressorMetrics(labels, predictions);
}

function classifierMetrics(labels: Float64Array, probabilities: Float64Array): Record<string, number> {
  const m = classificationMetrics(labels, probabilities);
  return { auc: m.auc, log_loss: m.logLoss, accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, brier: m.brier };
}

function regressorMetrics(labels: Float64Array, predictions: Float64Array): Record<string, number> {
  const m = regressionMetrics(labels, predictions);
  return { rmse: m.rmse, mae: m.mae, r2: m.r2 };
}

/** The reference profile; a classifier's also carries its holdout scores and labels, the monitor's CBPE calibration set. */
function monitoringReference(
  algorithm: BuiltInAlgorithm,
  features: LabeledDataset['features'],
  trainPredictions: Float64Array,
  holdoutLabels: Float64Array,
  holdoutPredictions: Float64Array,
): ReferenceProfile {
  const task = isClassifier(algorithm) ? 'classification' : 'regression';
  const profile = buildReferenceProfile(featureMatrixColumns(features), predictionColumns(task, trainPredictions));
  return task === 'classification' ? withHoldoutCalibration(profile, holdoutLabels, holdoutPredictions) : profile;
}

/** A model's predictions as profile columns: P(1) and the 0.5-threshold label for classifiers, the value for regressors. */
export function predictionColumns(task: 'classification' | 'regression', predictions: Float64Array): ProfileInput[] {
  if (task === 'regression') return [{ name: 'prediction', kind: 'numeric', values: predictions }];
  return [
    { name: 'probability', kind: 'numeric', values: predictions },
    { name: 'label', kind: 'categorical', values: Array.from(predictions, (p) => (p > 0.5 ? '1' : '0')) },
  ];
}
