import { featureMatrix, LabeledDataset } from '@mlops/ml';
import { PipelineInput, splitHoldout } from '../train-from-dataset/training-pipeline';

/**
 * The row indices (in file order) of the training part and of the platform's holdout, under exactly the split
 * built-in runs use. splitHoldout returns rows, not indices, so it is run on a one-column matrix holding each
 * row's own index, which it carries through to its output unchanged.
 */
export function holdoutRowIndices(
  rows: number,
  split: PipelineInput['split'],
  seed: number,
  timestamps: Float64Array | undefined,
): { train: number[]; holdout: number[] } {
  const indices = Float64Array.from({ length: rows }, (_, i) => i);
  const dataset: LabeledDataset = { features: featureMatrix(indices, 1, ['row']), labels: new Float64Array(rows) };
  const [train, holdout] = splitHoldout({
    // the split reads only the dataset, the policy, the seed and the timestamps
    algorithm: 'linear_regression',
    hyperparameters: {},
    split,
    seed,
    dataset,
    ...(timestamps ? { timestamps } : {}),
  });
  return { train: Array.from(train.features.values), holdout: Array.from(holdout.features.values) };
}
