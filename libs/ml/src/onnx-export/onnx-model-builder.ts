import { encodeModelProto, OnnxAttributeProto, OnnxNodeProto, OnnxTensorProto, OnnxValueInfoProto } from '../onnx-proto';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;

/** TensorProto.DataType values for the element types our graphs use. */
export const ElementType = { float: 1, int64: 7 } as const;
export type ElementType = (typeof ElementType)[keyof typeof ElementType];

export type AttributeValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'ints'; value: ArrayLike<number> }
  | { kind: 'strings'; value: readonly string[] };

export interface OnnxNode {
  opType: string;
  domain?: 'ai.onnx.ml';
  inputs: string[];
  outputs: string[];
  name: string;
  /** Written in key order as given; callers pass a fixed literal so bytes stay stable. */
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  type: ElementType;
  values: ArrayLike<number>;
}

/** A dimension of null is left symbolic (the batch dimension); onnxruntime reports it as unnamed. */
export interface OnnxValueInfo {
  name: string;
  type: ElementType;
  shape: (number | null)[];
}

export interface OnnxModel {
  producerName: string;
  producerVersion: string;
  graphName: string;
  docString?: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxInitializer[];
  nodes: OnnxNode[];
  /** Sorted by key before writing. */
  metadata?: Record<string, string>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;
const utf8 = new TextEncoder();

/** Serializes a graph to ModelProto bytes; the output depends only on the argument, never on time or host. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const usesMl = model.nodes.some((node) => node.domain === 'ai.onnx.ml');
  const metadata = model.metadata ?? {};
  return encodeModelProto({
    irVersion: ONNX_IR_VERSION,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    modelVersion: 1,
    ...(model.docString ? { docString: model.docString } : {}),
    graph: {
      node: model.nodes.map(nodeProto),
      name: model.graphName,
      initializer: model.initializers.map(tensorProto),
      input: model.inputs.map(valueInfoProto),
      output: model.outputs.map(valueInfoProto),
    },
    opsetImport: [{ domain: '', version: ONNX_OPSET }, ...(usesMl ? [{ domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }] : [])],
    metadataProps: Object.keys(metadata)
      .sort()
      .map((key) => ({ key, value: metadata[key] })),
  });
}

function nodeProto(node: OnnxNode): OnnxNodeProto {
  return {
    input: node.inputs,
    output: node.outputs,
    name: node.name,
    opType: node.opType,
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attributeProto(name, value)),
    ...(node.domain ? { domain: node.domain } : {}),
  };
}

function attributeProto(name: string, attr: AttributeValue): OnnxAttributeProto {
  const type = ATTRIBUTE_TYPE[attr.kind];
  switch (attr.kind) {
    case 'float':
      return { name, f: attr.value, type };
    case 'int':
      return { name, i: attr.value, type };
    case 'string':
      return { name, s: utf8.encode(attr.value), type };
    case 'floats':
      return { name, floats: Array.from(attr.value), type };
    case 'ints':
      return { name, ints: Array.from(attr.value), type };
    case 'strings':
      return { name, strings: attr.value.map((s) => utf8.encode(s)), type };
  }
}

function tensorProto(tensor: OnnxInitializer): OnnxTensorProto {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (expected !== tensor.values.length) {
    throw new RangeError(`initializer ${tensor.name}: dims ${tensor.dims.join('x')} need ${expected} values, got ${tensor.values.length}`);
  }
  const values = Array.from(tensor.values);
  return {
    dims: tensor.dims,
    dataType: tensor.type,
    ...(tensor.type === ElementType.float ? { floatData: values } : { int64Data: values }),
    name: tensor.name,
  };
}

/** A dimension of null stays symbolic: an empty Dimension, neither value nor parameter. */
function valueInfoProto(info: OnnxValueInfo): OnnxValueInfoProto {
  return {
    name: info.name,
    type: { tensorType: { elemType: info.type, shape: { dim: info.shape.map((dim) => (dim === null ? {} : { dimValue: dim })) } } },
  };
}
