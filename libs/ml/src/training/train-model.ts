import { z } from 'zod';
import { gbdtModelToOnnx } from '../onnx-export/gbdt-onnx';
import { linearModelToOnnx } from '../onnx-export/linear-model-onnx';
import { FeatureMatrix, LabeledDataset } from './dataset';
import { GbdtModel, predictGbdt } from './gbdt/gbdt-model';
import { GbdtParams } from './gbdt/gbdt-params';
import { trainGbdt } from './gbdt/train-gbdt';
import { LinearModel, predictLinear } from './linear-model';
import { LinearRegressionParams, trainLinearRegression } from './linear-regression';
import { LogisticRegressionParams, trainLogisticRegression } from './logistic-regression';
import { LossPoint } from './loss-curve';

export type BuiltInAlgorithm = 'logistic_regression' | 'linear_regression' | 'gbdt_classifier' | 'gbdt_regressor';
export type TrainedModel = LinearModel | GbdtModel;

export interface TrainingOutcome {
  model: TrainedModel;
  /** Hyperparameters after defaults were applied: what the run actually used. */
  params: Record<string, number>;
  lossCurve: LossPoint[];
}

export class InvalidHyperparameters extends Error {
  constructor(readonly issues: { field: string; reason: string }[]) {
    super(`invalid hyperparameters: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
    this.name = 'InvalidHyperparameters';
  }
}

const paramSchemas = {
  logistic_regression: LogisticRegressionParams,
  linear_regression: LinearRegressionParams,
  gbdt_classifier: GbdtParams,
  gbdt_regressor: GbdtParams,
} as const;

export function isClassifier(algorithm: BuiltInAlgorithm): boolean {
  return algorithm === 'logistic_regression' || algorithm === 'gbdt_classifier';
}

/** Validates hyperparameters against the algorithm's schema (unknown keys are refused) and applies defaults. */
export function resolveHyperparameters(algorithm: BuiltInAlgorithm, hyperparameters: Record<string, unknown>): Record<string, number> {
  const parsed = (paramSchemas[algorithm] as z.ZodType<Record<string, number>>).safeParse(hyperparameters);
  if (!parsed.success) {
    throw new InvalidHyperparameters(
      parsed.error.issues.map((issue) => ({
        field: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(root)',
        reason: issue.message,
      })),
    );
  }
  return parsed.data;
}

export interface TrainModelOptions {
  seed?: number;
  /** Early-stopping split for GBDT. */
  validation?: LabeledDataset;
  onIteration?: (point: LossPoint, total: number) => void;
}

/** Same dataset + hyperparameters + seed give the same model, hence the same ONNX bytes. */
export function trainModel(
  algorithm: BuiltInAlgorithm,
  dataset: LabeledDataset,
  hyperparameters: Record<string, unknown> = {},
  options: TrainModelOptions = {},
): TrainingOutcome {
  const params = resolveHyperparameters(algorithm, hyperparameters);
  switch (algorithm) {
    case 'logistic_regression':
      return { params, ...trainLogisticRegression(dataset, params) };
    case 'linear_regression':
      return { params, ...trainLinearRegression(dataset, params) };
    case 'gbdt_classifier':
    case 'gbdt_regressor': {
      const { model, lossCurve } = trainGbdt(algorithm, dataset, params, options);
      return { model, params, lossCurve };
    }
  }
}

/** P(class 1) for classifiers, the predicted value for regressors; what the exported ONNX computes. */
export function predict(model: TrainedModel, features: FeatureMatrix): Float64Array {
  return 'trees' in model ? predictGbdt(model, features) : predictLinear(model, features);
}

export function exportOnnx(model: TrainedModel): Uint8Array {
  return 'trees' in model ? gbdtModelToOnnx(model) : linearModelToOnnx(model);
}
