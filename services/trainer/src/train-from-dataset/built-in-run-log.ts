import type { LossPoint } from '@mlops/ml';
import type { ChampionComparison } from '../training-runs/training-run.repository';

export interface BuiltInRunFacts {
  requestId: string;
  modelName: string;
  algorithm: string;
  seed: number;
  snapshot: { snapshotId: string; sha256: string };
  trainRows: number;
  holdoutRows: number;
  params: Record<string, number>;
  lossCurve: LossPoint[];
  metrics: Record<string, number>;
  champion: ChampionComparison;
  durationMs: number;
}

/** The log of a built-in run: what it trained on, how the loss moved each iteration, and how it compared. */
export function describeBuiltInRun(facts: BuiltInRunFacts): string {
  const lines = [
    `request ${facts.requestId}: ${facts.algorithm} for model ${facts.modelName}, seed ${facts.seed}`,
    `dataset snapshot ${facts.snapshot.snapshotId} (sha256 ${facts.snapshot.sha256}): ${facts.trainRows} training rows, ${facts.holdoutRows} holdout rows`,
    `params ${JSON.stringify(facts.params)}`,
    ...facts.lossCurve.map(
      (p) => `iteration ${p.iteration}: train loss ${p.trainLoss.toPrecision(6)}${p.validationLoss === undefined ? '' : `, validation loss ${p.validationLoss.toPrecision(6)}`}`,
    ),
    `holdout metrics ${JSON.stringify(facts.metrics)}`,
    describeChampion(facts.champion),
    `finished in ${facts.durationMs} ms`,
  ];
  return `${lines.join('\n')}\n`;
}

function describeChampion(champion: ChampionComparison): string {
  if (champion.parentVersion === null) return 'no champion to compare with';
  const which = `champion v${champion.parentVersion} (${champion.championSource})`;
  if (champion.championMetrics) return `${which} on the same holdout: ${JSON.stringify(champion.championMetrics)}`;
  return `${which} not scored: ${champion.championSkippedReason}`;
}
