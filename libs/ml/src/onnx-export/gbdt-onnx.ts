import type { GbdtModel } from '../training/gbdt/gbdt-model';
import { encodeOnnxModel, OnnxInitializer, OnnxNode } from './onnx-model-builder';
import {
  classifierHead,
  classifierOutputs,
  featuresInput,
  INPUT_NAME,
  modelMetadata,
  PREDICTION_OUTPUT,
  PRODUCER_NAME,
  PRODUCER_VERSION,
  regressionOutputs,
} from './model-graphs';

/**
 * ai.onnx.ml TreeEnsembleRegressor summing every tree plus the base score; the classifier adds the sigmoid
 * head on that log-odds column. Splits are BRANCH_LEQ on float32 thresholds with the learned missing-value side.
 */
export function gbdtModelToOnnx(model: GbdtModel): Uint8Array {
  const classifier = model.algorithm === 'gbdt_classifier';
  const scoreName = classifier ? 'score' : PREDICTION_OUTPUT;
  const nodes: OnnxNode[] = [{ name: 'trees', opType: 'TreeEnsembleRegressor', domain: 'ai.onnx.ml', inputs: [INPUT_NAME], outputs: [scoreName], attributes: treeAttributes(model) }];
  const initializers: OnnxInitializer[] = [];
  if (classifier) {
    const head = classifierHead(scoreName);
    nodes.push(...head.nodes);
    initializers.push(...head.initializers);
  }
  return encodeOnnxModel({
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    graphName: model.algorithm,
    inputs: [featuresInput(model.featureNames.length)],
    outputs: classifier ? classifierOutputs() : regressionOutputs(),
    initializers,
    nodes,
    metadata: modelMetadata(model.algorithm, model.featureNames),
  });
}

function treeAttributes(model: GbdtModel): NonNullable<OnnxNode['attributes']> {
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const modes: string[] = [];
  const values: number[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const missingTracksTrue: number[] = [];
  const targetTreeIds: number[] = [];
  const targetNodeIds: number[] = [];
  const targetWeights: number[] = [];
  model.trees.forEach((tree, t) => {
    for (let n = 0; n < tree.feature.length; n++) {
      const leaf = tree.feature[n] < 0;
      treeIds.push(t);
      nodeIds.push(n);
      featureIds.push(leaf ? 0 : tree.feature[n]);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      values.push(leaf ? 0 : tree.threshold[n]);
      trueIds.push(leaf ? 0 : tree.left[n]);
      falseIds.push(leaf ? 0 : tree.right[n]);
      missingTracksTrue.push(leaf ? 0 : tree.missingLeft[n]);
      if (leaf) {
        targetTreeIds.push(t);
        targetNodeIds.push(n);
        targetWeights.push(tree.value[n]);
      }
    }
  });
  return {
    aggregate_function: { kind: 'string', value: 'SUM' },
    base_values: { kind: 'floats', value: [model.baseScore] },
    n_targets: { kind: 'int', value: 1 },
    nodes_falsenodeids: { kind: 'ints', value: falseIds },
    nodes_featureids: { kind: 'ints', value: featureIds },
    nodes_missing_value_tracks_true: { kind: 'ints', value: missingTracksTrue },
    nodes_modes: { kind: 'strings', value: modes },
    nodes_nodeids: { kind: 'ints', value: nodeIds },
    nodes_treeids: { kind: 'ints', value: treeIds },
    nodes_truenodeids: { kind: 'ints', value: trueIds },
    nodes_values: { kind: 'floats', value: values },
    post_transform: { kind: 'string', value: 'NONE' },
    target_ids: { kind: 'ints', value: new Array(targetWeights.length).fill(0) },
    target_nodeids: { kind: 'ints', value: targetNodeIds },
    target_treeids: { kind: 'ints', value: targetTreeIds },
    target_weights: { kind: 'floats', value: targetWeights },
  };
}
