import { compareRuns, ComparedRun } from './compare-runs';

const run = (runId: string, params: Record<string, number>, metrics: Record<string, number>, championMetrics: Record<string, number> | null): ComparedRun => ({
  runId,
  requestId: `req-${runId}`,
  modelName: 'm',
  algorithm: 'gbdt_classifier',
  status: 'completed',
  seed: 1,
  params,
  metrics,
  dataset: { snapshotId: 's', sha256: 'h' },
  artifact: { uri: 'u', sha256: 'h', sizeBytes: 1 },
  referenceProfileUri: 'p',
  codeVersion: 'c',
  environment: {},
  durationMs: 10,
  completedAt: '2026-01-01T00:00:00.000Z',
  parentVersion: championMetrics ? 3 : null,
  championSource: championMetrics ? 'deployment' : null,
  championMetrics,
  championSkippedReason: null,
});

describe('compareRuns', () => {
  it('lines params and metrics up by name, marks differences and deltas from the first run', () => {
    const result = compareRuns([
      run('a', { learningRate: 0.1, numLeaves: 31 }, { auc: 0.8, f1: 0.5 }, null),
      run('b', { learningRate: 0.05, numLeaves: 31, maxDepth: 6 }, { auc: 0.85, f1: 0.5 }, { auc: 0.82, f1: 0.55 }),
    ]);
    expect(result.runs.map((r) => r.runId)).toEqual(['a', 'b']);
    expect(result.params).toEqual([
      { name: 'learningRate', values: [0.1, 0.05], differs: true, deltaFromFirst: [0, 0.05 - 0.1] },
      { name: 'maxDepth', values: [null, 6], differs: true, deltaFromFirst: [null, null] },
      { name: 'numLeaves', values: [31, 31], differs: false, deltaFromFirst: [0, 0] },
    ]);
    expect(result.metrics.find((m) => m.name === 'auc')).toEqual({ name: 'auc', values: [0.8, 0.85], differs: true, deltaFromFirst: [0, 0.85 - 0.8] });
    expect(result.metrics.find((m) => m.name === 'f1')!.differs).toBe(false);
    expect(result.championMetrics.find((m) => m.name === 'auc')!.values).toEqual([null, 0.82]);
    expect(result.metricsVsChampion).toEqual([
      { name: 'auc', deltas: [null, 0.85 - 0.82] },
      { name: 'f1', deltas: [null, 0.5 - 0.55] },
    ]);
    expect(result.runs[1].parentVersion).toBe(3);
  });
});
