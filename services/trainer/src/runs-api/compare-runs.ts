import type { ComparisonRow, RunComparison, TrainingRunSummary } from '@mlops/contracts';

export type ComparedRun = TrainingRunSummary;

type Value = ComparisonRow['values'][number] | undefined;

/** a - b when both are numbers: a string param (a custom trainer's name) has no difference to show. */
const sub = (a: Value, b: Value) => (typeof a === 'number' && typeof b === 'number' ? a - b : null);

function rows(records: (Record<string, string | number | boolean> | null)[]): ComparisonRow[] {
  const names = [...new Set(records.flatMap((r) => Object.keys(r ?? {})))].sort();
  return names.map((name) => {
    const values = records.map((r) => r?.[name] ?? null);
    return { name, values, differs: values.some((v) => v !== values[0]), deltaFromFirst: values.map((v) => sub(v, values[0])) };
  });
}

/** Params, metrics and champion metrics of the runs side by side, with their differences. */
export function compareRuns(runs: ComparedRun[]): RunComparison {
  const metricNames = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  return {
    runs: runs.map((r) => ({
      runId: r.runId,
      modelName: r.modelName,
      algorithm: r.algorithm,
      seed: r.seed,
      dataset: r.dataset,
      codeVersion: r.codeVersion,
      durationMs: r.durationMs,
      completedAt: r.completedAt,
      parentVersion: r.parentVersion,
      championSkippedReason: r.championSkippedReason,
    })),
    params: rows(runs.map((r) => r.params)),
    metrics: rows(runs.map((r) => r.metrics)),
    championMetrics: rows(runs.map((r) => r.championMetrics)),
    metricsVsChampion: metricNames.map((name) => ({ name, deltas: runs.map((r) => sub(r.metrics[name], r.championMetrics?.[name])) })),
  };
}
