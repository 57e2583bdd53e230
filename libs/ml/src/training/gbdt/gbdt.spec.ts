import { syntheticClassification, syntheticRegression } from '../../test-support/synthetic-datasets';
import { rocAuc } from '../../evaluation/classification-metrics';
import { featureMatrix, FeatureMatrix } from '../dataset';
import { applyBins, binOf, fitBins } from './feature-binner';
import { gbdtModelToOnnx } from '../../onnx-export/gbdt-onnx';
import { predictGbdt, RegressionTree } from './gbdt-model';
import { trainGbdt } from './train-gbdt';

function leafOf(tree: RegressionTree, features: FeatureMatrix, row: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const x = Math.fround(features.values[row * features.cols + tree.feature[node]]);
    node = (x !== x ? tree.missingLeft[node] === 1 : x <= tree.threshold[node]) ? tree.left[node] : tree.right[node];
  }
  return node;
}

function depthOf(tree: RegressionTree, node = 0): number {
  return tree.feature[node] < 0 ? 0 : 1 + Math.max(depthOf(tree, tree.left[node]), depthOf(tree, tree.right[node]));
}

const leafCount = (tree: RegressionTree) => tree.feature.filter((f) => f < 0).length;

describe('feature binning', () => {
  it('puts boundaries between distinct values when there are few', () => {
    const bins = fitBins(featureMatrix(Float64Array.from([3, 1, 2, 2, 1]), 1), 255, 0);
    expect([...bins.thresholds[0]]).toEqual([1.5, 2.5]);
  });

  it('assigns each value the first bin whose float32 boundary it does not exceed, NaN to the missing bin', () => {
    const data = syntheticRegression({ rows: 3000, features: 2, seed: 3, missingRate: 0.02 });
    const bins = fitBins(data.features, 16, 0);
    const t = bins.thresholds[0];
    expect(t.length).toBeLessThanOrEqual(15);
    const assigned = applyBins(bins, data.features);
    for (let r = 0; r < data.features.rows; r++) {
      const v = data.features.values[r * 2];
      const b = assigned[r * 2];
      if (Number.isNaN(v)) {
        expect(b).toBe(t.length + 1);
        continue;
      }
      if (b < t.length) expect(Math.fround(v)).toBeLessThanOrEqual(t[b]);
      if (b > 0) expect(Math.fround(v)).toBeGreaterThan(t[b - 1]);
      expect(binOf(t, v)).toBe(b);
    }
  });

  it('bins every value as the binary search does, infinities and boundaries included, with the full 255 bins', () => {
    const data = syntheticRegression({ rows: 5000, features: 3, seed: 4, missingRate: 0.01 });
    const bins = fitBins(data.features, 255, 0);
    expect(bins.thresholds[0].length).toBe(254);
    const probes = [-Infinity, Infinity, NaN, ...bins.thresholds[1], ...bins.thresholds[1].map((t) => t + 1e-3)];
    const values = new Float64Array(probes.length * 3);
    probes.forEach((v, i) => values.fill(v, i * 3, i * 3 + 3));
    const matrix = featureMatrix(values, 3);
    for (const m of [data.features, matrix]) {
      const searched = Uint8Array.from(m.values, (v, i) => binOf(bins.thresholds[i % 3], v));
      expect(applyBins(bins, m)).toEqual(searched);
    }
  });
});

describe('trainGbdt', () => {
  const classification = syntheticClassification({ rows: 3000, features: 5, seed: 21 });
  const holdout = syntheticClassification({ rows: 2000, features: 5, seed: 22 });

  it('learns: holdout AUC well above chance and a falling training loss', () => {
    const { model, lossCurve } = trainGbdt('gbdt_classifier', classification, { numIterations: 60 }, { seed: 1 });
    expect(rocAuc(holdout.labels, predictGbdt(model, holdout.features))).toBeGreaterThan(0.85);
    expect(lossCurve).toHaveLength(60);
    for (let i = 1; i < lossCurve.length; i++) expect(lossCurve[i].trainLoss).toBeLessThan(lossCurve[i - 1].trainLoss);
  });

  it('reports each round the log loss of the model so far on the training rows', () => {
    const data = syntheticClassification({ rows: 2000, features: 4, seed: 9 });
    const { model, lossCurve } = trainGbdt('gbdt_classifier', data, { numIterations: 4 }, { seed: 2 });
    lossCurve.forEach((point, k) => {
      const p = predictGbdt({ ...model, trees: model.trees.slice(0, k + 1) }, data.features);
      const logLoss = -data.labels.reduce((sum, y, r) => sum + Math.log(y === 1 ? p[r] : 1 - p[r]), 0) / data.labels.length;
      expect(point.trainLoss).toBeCloseTo(logLoss, 10);
    });
  });

  it('respects numLeaves and maxDepth', () => {
    const leaves = trainGbdt('gbdt_classifier', classification, { numIterations: 5, numLeaves: 6 }).model;
    leaves.trees.forEach((tree) => expect(leafCount(tree)).toBeLessThanOrEqual(6));
    expect(Math.max(...leaves.trees.map(leafCount))).toBe(6);
    const deep = trainGbdt('gbdt_classifier', classification, { numIterations: 5, maxDepth: 2, numLeaves: 31 }).model;
    deep.trees.forEach((tree) => expect(depthOf(tree)).toBeLessThanOrEqual(2));
    expect(Math.max(...deep.trees.map(leafCount))).toBe(4);
  });

  it('gives every leaf at least minChildSamples training rows', () => {
    const data = syntheticRegression({ rows: 500, features: 3, seed: 5 });
    const { model } = trainGbdt('gbdt_regressor', data, { numIterations: 5, minChildSamples: 40, numLeaves: 63 });
    for (const tree of model.trees) {
      const counts = new Map<number, number>();
      for (let r = 0; r < data.features.rows; r++) counts.set(leafOf(tree, data.features, r), (counts.get(leafOf(tree, data.features, r)) ?? 0) + 1);
      counts.forEach((count) => expect(count).toBeGreaterThanOrEqual(40));
    }
  });

  it('stops early on the validation loss and keeps the best round', () => {
    const noisy = syntheticClassification({ rows: 1000, features: 5, seed: 8 });
    const result = trainGbdt('gbdt_classifier', noisy, { numIterations: 500, learningRate: 0.5, numLeaves: 63, minChildSamples: 2, earlyStoppingRounds: 5 }, { seed: 3 });
    expect(result.bestIteration).toBeLessThan(500);
    expect(result.model.trees).toHaveLength(result.bestIteration);
    expect(result.lossCurve).toHaveLength(result.bestIteration + 5);
    const validation = result.lossCurve.map((p) => p.validationLoss!);
    expect(Math.min(...validation)).toBe(validation[result.bestIteration - 1]);
  });

  it('learns which side missing values belong to', () => {
    // the label is 1 exactly when x0 is missing
    const rows = 400;
    const values = new Float64Array(rows * 2);
    const labels = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      labels[r] = r % 4 === 0 ? 1 : 0;
      values[r * 2] = labels[r] === 1 ? NaN : (r % 7) - 3;
      values[r * 2 + 1] = r % 5;
    }
    const data = { features: featureMatrix(values, 2), labels };
    const { model } = trainGbdt('gbdt_classifier', data, { numIterations: 20, minChildSamples: 5 });
    const p = predictGbdt(model, featureMatrix(Float64Array.from([NaN, 1, -3, 1, 3, 1]), 2));
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[1]).toBeLessThan(0.1);
    expect(p[2]).toBeLessThan(0.1);
  });

  it('fits a regression target', () => {
    const train = syntheticRegression({ rows: 3000, features: 4, seed: 31 });
    const { model, lossCurve } = trainGbdt('gbdt_regressor', train, { numIterations: 80 });
    expect(lossCurve[79].trainLoss).toBeLessThan(lossCurve[0].trainLoss / 5);
    expect(model.trees).toHaveLength(80);
  });

  it('builds byte-identical ONNX with a helper thread as on one thread', () => {
    // enough rows for histograms split between threads, and a feature count that leaves padding in the last word
    const data = syntheticClassification({ rows: 40_000, features: 6, seed: 12, missingRate: 0.05 });
    const params = { numIterations: 6, numLeaves: 15, minChildSamples: 10 };
    const one = trainGbdt('gbdt_classifier', data, params, { seed: 7, threads: 1 });
    const two = trainGbdt('gbdt_classifier', data, params, { seed: 7, threads: 2 });
    expect(Buffer.from(gbdtModelToOnnx(two.model)).equals(Buffer.from(gbdtModelToOnnx(one.model)))).toBe(true);
    expect(two.lossCurve).toEqual(one.lossCurve);
    expect(one.lossCurve[5].trainLoss).toBeLessThan(one.lossCurve[0].trainLoss);
  });
});
