import type { EventData } from '@mlops/contracts';
import { PermanentTrainingFailure } from '../train-on-request/training-failures';

export type TrainingTask = 'classification' | 'regression';

/** What an `algorithm: custom` request asks for, read from its hyperparameters. */
export interface CustomTrainingRequest {
  /** A registered trainer's name: a folder of the trainers directory, never a path. */
  trainer: string;
  /** Given as `hyperparameters.task`, or null to infer it from the labels. */
  task: TrainingTask | null;
  /** Everything else in hyperparameters: the trainer's own params, written to its params JSON file. */
  params: Record<string, string | number | boolean>;
}

/** Letters, digits, `-` and `_`: a name that cannot climb out of the trainers directory or name a hidden folder. */
export const TRAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function parseCustomTrainingRequest(hyperparameters: EventData<'mlops.training.requested'>['hyperparameters']): CustomTrainingRequest {
  const { trainer, ...params } = hyperparameters;
  if (trainer === undefined) throw new PermanentTrainingFailure('hyperparameters.trainer: required for algorithm custom (the name of a registered trainer)');
  if (typeof trainer !== 'string' || !TRAINER_NAME.test(trainer)) {
    throw new PermanentTrainingFailure(
      `hyperparameters.trainer: ${JSON.stringify(trainer)} is not a trainer name (letters, digits, "-" and "_", at most 64)`,
    );
  }
  const task = params.task;
  if (task !== undefined && task !== 'classification' && task !== 'regression') {
    throw new PermanentTrainingFailure(`hyperparameters.task: expected "classification" or "regression", got ${JSON.stringify(task)}`);
  }
  return { trainer, task: task ?? null, params };
}

/** Binary 0/1 labels are a classification task; anything else a regression. */
export function inferTask(labels: ArrayLike<number>): TrainingTask {
  for (let i = 0; i < labels.length; i++) if (labels[i] !== 0 && labels[i] !== 1) return 'regression';
  return 'classification';
}
