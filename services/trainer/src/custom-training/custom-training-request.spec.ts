import { PermanentTrainingFailure } from '../train-on-request/training-failures';
import { inferTask, parseCustomTrainingRequest } from './custom-training-request';

describe('parseCustomTrainingRequest', () => {
  it('takes the trainer name out and leaves the rest as its params', () => {
    expect(parseCustomTrainingRequest({ trainer: 'sklearn-logistic', C: 0.5, solver: 'lbfgs' })).toEqual({
      trainer: 'sklearn-logistic',
      task: null,
      params: { C: 0.5, solver: 'lbfgs' },
    });
  });

  it('reads an explicit task and keeps it in the params the trainer sees', () => {
    expect(parseCustomTrainingRequest({ trainer: 't', task: 'regression' })).toEqual({ trainer: 't', task: 'regression', params: { task: 'regression' } });
  });

  it('refuses a missing trainer, a path or any name outside letters, digits, - and _', () => {
    expect(() => parseCustomTrainingRequest({})).toThrow(PermanentTrainingFailure);
    expect(() => parseCustomTrainingRequest({})).toThrow('hyperparameters.trainer: required');
    for (const bad of ['../etc', '/bin/sh', 'a/b', '.hidden', '', 'x'.repeat(65)]) {
      expect(() => parseCustomTrainingRequest({ trainer: bad })).toThrow(/hyperparameters.trainer: .* is not a trainer name/);
    }
    expect(() => parseCustomTrainingRequest({ trainer: 3 })).toThrow('hyperparameters.trainer: 3 is not a trainer name');
  });

  it('refuses an unknown task', () => {
    expect(() => parseCustomTrainingRequest({ trainer: 't', task: 'ranking' })).toThrow('hyperparameters.task: expected "classification" or "regression", got "ranking"');
  });
});

describe('inferTask', () => {
  it('calls 0/1 labels classification and anything else regression', () => {
    expect(inferTask(Float64Array.from([0, 1, 1, 0]))).toBe('classification');
    expect(inferTask(Float64Array.from([0, 1, 2]))).toBe('regression');
    expect(inferTask(Float64Array.from([0.5, 1]))).toBe('regression');
  });
});
