import { IncompatibleModel, LabeledDataset, scoreOnnxModel } from '@mlops/ml';
import type { ChampionArtifact, ChampionSource } from '../registry/registry.client';
import { holdoutMetrics } from './training-pipeline';

/** The champion scored on a run's holdout; `metrics` is null, with the reason, when it could not be scored. */
export interface ChampionEvaluation {
  version: number;
  source: ChampionSource;
  metrics: Record<string, number> | null;
  skippedReason: string | null;
}

/**
 * Scores the champion on exactly the rows the run was evaluated on, with the same metric set, so governance
 * compares like with like. A champion that cannot take the run's features (another feature set, another
 * task) is not an error of the run: it is recorded as not comparable.
 */
export async function evaluateChampion(
  champion: ChampionArtifact,
  holdout: LabeledDataset,
  task: 'classification' | 'regression',
): Promise<ChampionEvaluation> {
  const base = { version: champion.version, source: champion.source };
  if (!champion.onnx) return { ...base, metrics: null, skippedReason: champion.integrityProblem ?? 'the champion artifact could not be read' };
  try {
    const scores = await scoreOnnxModel(champion.onnx, holdout.features, task);
    return { ...base, metrics: holdoutMetrics(task, holdout.labels, scores), skippedReason: null };
  } catch (err) {
    if (err instanceof IncompatibleModel) return { ...base, metrics: null, skippedReason: err.message };
    throw err;
  }
}
