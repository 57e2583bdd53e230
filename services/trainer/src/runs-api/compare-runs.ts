import type { TrainingRunView } from '../training-runs/training-run.repository';

export type ComparedRun = Omit<TrainingRunView, 'lossCurve'>;

/** One param or metric across the compared runs, in the order the runs were asked for. */
export interface ComparisonRow {
  name: string;
  values: (number | null)[];
  /** Whether the runs disagree on it (a run without it counts as different). */
  differs: boolean;
  /** value - the first run's value; null where either is missing. */
  deltaFromFirst: (number | null)[];
}

export interface RunComparison {
  runs: Pick<ComparedRun, 'runId' | 'modelName' | 'algorithm' | 'seed' | 'dataset' | 'codeVersion' | 'durationMs' | 'completedAt' | 'parentVersion' | 'championSkippedReason'>[];
  params: ComparisonRow[];
  metrics: ComparisonRow[];
  /** Each run's champion on that run's holdout. */
  championMetrics: ComparisonRow[];
  /** Per run: its metric minus its champion's on the same holdout (positive AUC, negative RMSE: better). */
  metricsVsChampion: { name: string; deltas: (number | null)[] }[];
}

const sub = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : a - b);

function rows(records: (Record<string, number> | null)[]): ComparisonRow[] {
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
