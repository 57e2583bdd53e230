import type { DatasetDrift, FeatureDrift, MonitoringPolicy } from '@mlops/contracts';
import type { ColumnProfile, ReferenceProfile } from '@mlops/ml';
import { benjaminiHochberg } from '../statistics/benjamini-hochberg';
import type { ModelWindow } from '../windows/model-window';
import type { TensorLayout } from '../windows/tensor-columns';
import { ColumnDrift, testColumn } from './feature-drift-test';

export interface DriftEvaluation {
  features: FeatureDrift[];
  predictions: FeatureDrift[];
  dataset: DatasetDrift;
}

/** Sample-size-aware rule: a drifting feature must also move by at least this much (normed Wasserstein or JS). */
const MIN_EFFECT_SIZE = 0.1;

/**
 * Every input and prediction column of a closed window against the version's reference: each column by its test
 * (Evidently's defaults unless the policy overrides them), then two dataset verdicts: the share of drifted features,
 * and Benjamini-Hochberg across the features' hypothesis tests at the policy's false-discovery rate.
 */
export function evaluateDrift(reference: ReferenceProfile, window: ModelWindow, policy: MonitoringPolicy['drift']): DriftEvaluation {
  const features = pairColumns(reference.features, window.inputLayout, window.inputs.length).map(([ref, index]) =>
    testColumn(ref.name, ref, window.inputs[index], policy.overrides),
  );
  const predictions = pairPredictionColumns(reference.predictions, window.outputLayout).map(([ref, index]) =>
    testColumn(ref.name, ref, window.outputs[index], policy.overrides),
  );
  const adjusted = benjaminiHochberg(features.map((f) => f.hypothesisPValue ?? 1));
  features.forEach((f, i) => {
    f.adjustedPValue = f.hypothesisPValue === null ? null : adjusted[i];
    if (policy.sampleSizeAware) f.drifted = adjusted[i] < policy.fdrQ && f.effectSize >= MIN_EFFECT_SIZE;
  });
  const drifted = features.filter((f) => f.drifted).length;
  const driftedShare = features.length ? drifted / features.length : 0;
  return {
    features: features.map(publicFields),
    predictions: predictions.map(publicFields),
    dataset: {
      driftedShare,
      shareThreshold: policy.datasetDriftShare,
      drifted: features.length > 0 && driftedShare >= policy.datasetDriftShare,
      fdr: { q: policy.fdrQ, discoveries: features.filter((f, i) => f.hypothesisPValue !== null && adjusted[i] < policy.fdrQ).map((f) => f.feature) },
    },
  };
}

function publicFields(drift: ColumnDrift): FeatureDrift {
  const { feature, test, statistic, pValue, threshold, drifted, psi, adjustedPValue, referenceRows, currentRows } = drift;
  return { feature, test, statistic, pValue, threshold, drifted, psi, adjustedPValue, referenceRows, currentRows };
}

/**
 * Reference features are the model's input columns in order, so with as many columns as features they pair by
 * position; otherwise by name (a model whose inputs are one tensor per feature).
 */
function pairColumns(reference: ColumnProfile[], layout: TensorLayout | null, width: number): [ColumnProfile, number][] {
  if (!layout) return [];
  if (reference.length === width) return reference.map((column, i) => [column, i]);
  return reference.flatMap((column): [ColumnProfile, number][] => {
    const index = layout.names.indexOf(column.name);
    return index >= 0 ? [[column, index]] : [];
  });
}

/** The trainer's `probability` is a two-class output's P(1) column; other prediction columns pair by name. */
function pairPredictionColumns(reference: ColumnProfile[], layout: TensorLayout | null): [ColumnProfile, number][] {
  if (!layout) return [];
  return reference.flatMap((column): [ColumnProfile, number][] => {
    let index = layout.names.indexOf(column.name);
    if (index < 0 && column.name === 'probability') {
      const twoClass = layout.tensors.find((t) => t.width === 2);
      index = twoClass ? layout.names.indexOf(`${twoClass.name}[1]`) : -1;
    }
    if (index < 0 || layout.kinds[index] !== (column.kind === 'numeric' ? 'numeric' : 'categorical')) return [];
    return [[column, index]];
  });
}
