import { SeededRandom } from './random';

/** Row-major numeric features; NaN marks a missing value. */
export interface FeatureMatrix {
  rows: number;
  cols: number;
  values: Float64Array;
  featureNames: string[];
}

export interface LabeledDataset {
  features: FeatureMatrix;
  /** 0/1 for classifiers, any finite number for regressors. */
  labels: Float64Array;
}

export class InvalidTrainingData extends Error {
  constructor(readonly reason: string) {
    super(`invalid training data: ${reason}`);
    this.name = 'InvalidTrainingData';
  }
}

export function featureMatrix(values: Float64Array, cols: number, featureNames?: string[]): FeatureMatrix {
  if (cols <= 0 || values.length % cols !== 0) throw new InvalidTrainingData(`${values.length} values do not fill rows of ${cols} features`);
  const names = featureNames ?? Array.from({ length: cols }, (_, i) => `f${i}`);
  if (names.length !== cols) throw new InvalidTrainingData(`${names.length} feature names for ${cols} features`);
  return { rows: values.length / cols, cols, values, featureNames: names };
}

export function validateLabels(dataset: LabeledDataset, binary: boolean): void {
  const { labels, features } = dataset;
  if (labels.length !== features.rows) throw new InvalidTrainingData(`${labels.length} labels for ${features.rows} rows`);
  if (features.rows === 0) throw new InvalidTrainingData('the dataset has no rows');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (binary) {
      if (y !== 0 && y !== 1) throw new InvalidTrainingData(`label at row ${i} is ${y}; a binary classifier needs 0 or 1`);
      positives += y;
    } else if (!Number.isFinite(y)) {
      throw new InvalidTrainingData(`label at row ${i} is ${y}; a regressor needs finite numbers`);
    }
  }
  if (binary && (positives === 0 || positives === labels.length)) throw new InvalidTrainingData('the labels hold a single class');
}

/** Rows picked by index, in the given order. */
export function selectRows(dataset: LabeledDataset, rows: ArrayLike<number>): LabeledDataset {
  const { cols, values, featureNames } = dataset.features;
  const out = new Float64Array(rows.length * cols);
  const labels = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out.set(values.subarray(r * cols, (r + 1) * cols), i * cols);
    labels[i] = dataset.labels[r];
  }
  return { features: { rows: rows.length, cols, values: out, featureNames }, labels };
}

/** Seeded random split; the second part holds round(fraction * rows) rows. */
export function randomSplit(dataset: LabeledDataset, fraction: number, seed: number): [LabeledDataset, LabeledDataset] {
  const n = dataset.features.rows;
  const order = new SeededRandom(seed).permutation(n);
  const held = Math.round(n * fraction);
  const first = order.slice(held).sort();
  const second = order.slice(0, held).sort();
  return [selectRows(dataset, first), selectRows(dataset, second)];
}
