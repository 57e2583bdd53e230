import { ElementType, OnnxInitializer, OnnxNode, OnnxValueInfo } from './onnx-model-builder';

/**
 * The signature every exported model shares:
 * - input `features`: float32 [N, F], NaN for a missing value;
 * - classifiers: `label` int64 [N] (1 when P(class 1) > 0.5) and `probabilities` float32 [N, 2] (P(0), P(1));
 * - regressors: `prediction` float32 [N, 1].
 */
export const INPUT_NAME = 'features';
export const LABEL_OUTPUT = 'label';
export const PROBABILITIES_OUTPUT = 'probabilities';
export const PREDICTION_OUTPUT = 'prediction';

export const PRODUCER_NAME = 'mlops-trainer';
export const PRODUCER_VERSION = '1';

export function featuresInput(featureCount: number): OnnxValueInfo {
  return { name: INPUT_NAME, type: ElementType.float, shape: [null, featureCount] };
}

export function regressionOutputs(): OnnxValueInfo[] {
  return [{ name: PREDICTION_OUTPUT, type: ElementType.float, shape: [null, 1] }];
}

export function classifierOutputs(): OnnxValueInfo[] {
  return [
    { name: LABEL_OUTPUT, type: ElementType.int64, shape: [null] },
    { name: PROBABILITIES_OUTPUT, type: ElementType.float, shape: [null, 2] },
  ];
}

/** From a raw log-odds column [N, 1] to `probabilities` and `label` (ArgMax keeps class 0 on a 0.5 tie). */
export function classifierHead(scoreName: string): { nodes: OnnxNode[]; initializers: OnnxInitializer[] } {
  return {
    initializers: [{ name: 'one', dims: [1], type: ElementType.float, values: [1] }],
    nodes: [
      { name: 'sigmoid', opType: 'Sigmoid', inputs: [scoreName], outputs: ['p1'] },
      { name: 'complement', opType: 'Sub', inputs: ['one', 'p1'], outputs: ['p0'] },
      { name: 'probabilities', opType: 'Concat', inputs: ['p0', 'p1'], outputs: [PROBABILITIES_OUTPUT], attributes: { axis: { kind: 'int', value: 1 } } },
      {
        name: 'label',
        opType: 'ArgMax',
        inputs: [PROBABILITIES_OUTPUT],
        outputs: [LABEL_OUTPUT],
        attributes: { axis: { kind: 'int', value: 1 }, keepdims: { kind: 'int', value: 0 } },
      },
    ],
  };
}

export function modelMetadata(algorithm: string, featureNames: string[]): Record<string, string> {
  return { algorithm, feature_names: JSON.stringify(featureNames) };
}

