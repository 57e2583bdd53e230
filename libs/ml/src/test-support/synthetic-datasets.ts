import { featureMatrix, LabeledDataset } from '../training/dataset';
import { SeededRandom } from '../training/random';

export interface SyntheticOptions {
  rows: number;
  features: number;
  seed: number;
  /** Share of feature values replaced by NaN. */
  missingRate?: number;
}

/** Gaussian-ish features (sum of uniforms), a linear-plus-interaction signal, seeded. */
function features(options: SyntheticOptions): { values: Float64Array; signal: Float64Array; random: SeededRandom } {
  const random = new SeededRandom(options.seed);
  const { rows, features: cols } = options;
  const values = new Float64Array(rows * cols);
  const signal = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      const x = (random.next() + random.next() + random.next() - 1.5) * 2;
      values[r * cols + c] = x * (c + 1);
      s += ((c % 2 === 0 ? 1 : -1) * x) / (1 + c / 3);
    }
    s += values[r * cols] * values[r * cols + (cols > 1 ? 1 : 0)] * 0.1;
    signal[r] = s;
  }
  if (options.missingRate) {
    for (let i = 0; i < values.length; i++) if (random.next() < options.missingRate) values[i] = NaN;
  }
  return { values, signal, random };
}

export function syntheticClassification(options: SyntheticOptions): LabeledDataset {
  const { values, signal, random } = features(options);
  const labels = Float64Array.from(signal, (s) => (random.next() < 1 / (1 + Math.exp(-2 * s)) ? 1 : 0));
  return { features: featureMatrix(values, options.features), labels };
}

export function syntheticRegression(options: SyntheticOptions): LabeledDataset {
  const { values, signal, random } = features(options);
  const labels = Float64Array.from(signal, (s) => 3 * s + 1 + (random.next() - 0.5));
  return { features: featureMatrix(values, options.features), labels };
}
