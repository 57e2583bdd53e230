import { Injectable } from '@nestjs/common';
import { IncompatibleModel, LabeledDataset, scoreOnnxModel } from '@mlops/ml';
import { JsonLogger } from '@mlops/observability';
import { ChampionArtifact, ChampionSource, RegistryClient } from '../registry/registry.client';
import type { ChampionComparison } from '../training-runs/training-run.repository';
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

export const NO_CHAMPION: ChampionComparison = { parentVersion: null, championSource: null, championMetrics: null, championSkippedReason: null };

/**
 * The champion side of a run, built-in or brought by the user: fetched before training (an unreachable registry
 * is an outage that fails fast and costs no training), scored once the run's holdout is known.
 */
@Injectable()
export class ChampionComparer {
  private readonly log: JsonLogger;

  constructor(
    private readonly registry: RegistryClient,
    logger: JsonLogger,
  ) {
    this.log = logger.child('ChampionComparer');
  }

  fetch(modelName: string): Promise<ChampionArtifact | null> {
    return this.registry.champion(modelName);
  }

  async compare(champion: ChampionArtifact | null, holdout: LabeledDataset, task: 'classification' | 'regression', modelName: string): Promise<ChampionComparison> {
    if (!champion) return NO_CHAMPION;
    const evaluation = await evaluateChampion(champion, holdout, task);
    if (evaluation.skippedReason) this.log.warn(`champion v${evaluation.version} of ${modelName} not scored on the run's holdout: ${evaluation.skippedReason}`);
    return {
      parentVersion: evaluation.version,
      championSource: evaluation.source,
      championMetrics: evaluation.metrics,
      championSkippedReason: evaluation.skippedReason,
    };
  }
}
