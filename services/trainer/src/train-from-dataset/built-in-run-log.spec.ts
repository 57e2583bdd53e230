import { BuiltInRunFacts, describeBuiltInRun } from './built-in-run-log';

const facts: BuiltInRunFacts = {
  requestId: 'r-1',
  modelName: 'churn',
  algorithm: 'gbdt_classifier',
  seed: 4,
  snapshot: { snapshotId: 's-1', sha256: 'ab'.repeat(32) },
  trainRows: 80,
  holdoutRows: 20,
  params: { numIterations: 2 },
  lossCurve: [
    { iteration: 1, trainLoss: 0.6, validationLoss: 0.65 },
    { iteration: 2, trainLoss: 0.5 },
  ],
  metrics: { auc: 0.9 },
  champion: { parentVersion: 3, championSource: 'deployment', championMetrics: { auc: 0.85 }, championSkippedReason: null },
  durationMs: 1234,
};

describe('describeBuiltInRun', () => {
  it('tells the dataset, every iteration, the metrics and the champion comparison', () => {
    expect(describeBuiltInRun(facts).split('\n')).toEqual([
      'request r-1: gbdt_classifier for model churn, seed 4',
      `dataset snapshot s-1 (sha256 ${'ab'.repeat(32)}): 80 training rows, 20 holdout rows`,
      'params {"numIterations":2}',
      'iteration 1: train loss 0.600000, validation loss 0.650000',
      'iteration 2: train loss 0.500000',
      'holdout metrics {"auc":0.9}',
      'champion v3 (deployment) on the same holdout: {"auc":0.85}',
      'finished in 1234 ms',
      '',
    ]);
  });

  it('says why a champion was not scored', () => {
    const skipped = { parentVersion: 2, championSource: 'alias', championMetrics: null, championSkippedReason: 'takes 20 features, the data has 2' };
    expect(describeBuiltInRun({ ...facts, champion: skipped })).toContain('champion v2 (alias) not scored: takes 20 features, the data has 2');
  });
});
