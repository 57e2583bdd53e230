import type { LinearModel } from '../training/linear-model';
import { ElementType, encodeOnnxModel, OnnxInitializer, OnnxNode } from './onnx-model-builder';
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

/** Imputer (NaN -> training mean), Sub/Div (standardization), MatMul/Add (linear score), then the head. */
export function linearModelToOnnx(model: LinearModel): Uint8Array {
  const cols = model.weights.length;
  const classifier = model.algorithm === 'logistic_regression';
  const scoreName = classifier ? 'score' : PREDICTION_OUTPUT;
  const initializers: OnnxInitializer[] = [
    { name: 'mean', dims: [1, cols], type: ElementType.float, values: model.means },
    { name: 'scale', dims: [1, cols], type: ElementType.float, values: model.scales },
    { name: 'weights', dims: [cols, 1], type: ElementType.float, values: model.weights },
    { name: 'bias', dims: [1], type: ElementType.float, values: [model.bias] },
  ];
  const nodes: OnnxNode[] = [
    {
      name: 'impute',
      opType: 'Imputer',
      domain: 'ai.onnx.ml',
      inputs: [INPUT_NAME],
      outputs: ['imputed'],
      attributes: { imputed_value_floats: { kind: 'floats', value: model.means }, replaced_value_float: { kind: 'float', value: NaN } },
    },
    { name: 'center', opType: 'Sub', inputs: ['imputed', 'mean'], outputs: ['centered'] },
    { name: 'standardize', opType: 'Div', inputs: ['centered', 'scale'], outputs: ['standardized'] },
    { name: 'dot', opType: 'MatMul', inputs: ['standardized', 'weights'], outputs: ['dot'] },
    { name: 'intercept', opType: 'Add', inputs: ['dot', 'bias'], outputs: [scoreName] },
  ];
  if (classifier) {
    const head = classifierHead(scoreName);
    nodes.push(...head.nodes);
    initializers.push(...head.initializers);
  }
  return encodeOnnxModel({
    producerName: PRODUCER_NAME,
    producerVersion: PRODUCER_VERSION,
    graphName: model.algorithm,
    inputs: [featuresInput(cols)],
    outputs: classifier ? classifierOutputs() : regressionOutputs(),
    initializers,
    nodes,
    metadata: modelMetadata(model.algorithm, model.featureNames),
  });
}
