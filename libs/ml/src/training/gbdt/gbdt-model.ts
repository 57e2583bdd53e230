import { FeatureMatrix, InvalidTrainingData } from '../dataset';
import { sigmoid } from '../loss-curve';

/**
 * One regression tree in flat arrays, node 0 the root. A node with feature -1 is a leaf holding value;
 * otherwise rows with float32(x[feature]) <= threshold go left, NaN goes left when missingLeft is 1.
 */
export interface RegressionTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  missingLeft: Uint8Array;
  value: Float32Array;
}

/** Raw score = baseScore + sum of tree leaves (log-odds for the classifier). Values are float32, as exported. */
export interface GbdtModel {
  algorithm: 'gbdt_classifier' | 'gbdt_regressor';
  featureNames: string[];
  baseScore: number;
  trees: RegressionTree[];
}

export function treeLeafValue(tree: RegressionTree, values: Float64Array, offset: number): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const x = Math.fround(values[offset + tree.feature[node]]);
    const goLeft = x !== x ? tree.missingLeft[node] === 1 : x <= tree.threshold[node];
    node = goLeft ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}

export function gbdtScores(model: GbdtModel, features: FeatureMatrix): Float64Array {
  const { rows, cols, values } = features;
  if (cols !== model.featureNames.length) throw new InvalidTrainingData(`model expects ${model.featureNames.length} features, got ${cols}`);
  const out = new Float64Array(rows).fill(model.baseScore);
  for (const tree of model.trees) for (let r = 0; r < rows; r++) out[r] += treeLeafValue(tree, values, r * cols);
  return out;
}

/** Probability of class 1 for the classifier, the prediction for the regressor. */
export function predictGbdt(model: GbdtModel, features: FeatureMatrix): Float64Array {
  const scores = gbdtScores(model, features);
  if (model.algorithm === 'gbdt_classifier') for (let i = 0; i < scores.length; i++) scores[i] = sigmoid(scores[i]);
  return scores;
}
