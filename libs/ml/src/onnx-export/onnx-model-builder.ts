import { ProtobufWriter } from './protobuf-writer';

/** Field numbers and enums from onnx.proto (IR version 8). */
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, domain: 4, modelVersion: 5, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, initializer: 5, docString: 10, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const ATTRIBUTE = { name: 1, f: 2, i: 3, s: 4, floats: 7, ints: 8, strings: 9, type: 20 } as const;
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7, strings: 8 } as const;
const TENSOR = { dims: 1, dataType: 2, floatData: 4, int64Data: 7, name: 8 } as const;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const SHAPE = { dim: 1 } as const;
const DIMENSION = { dimValue: 1 } as const;
const STRING_ENTRY = { key: 1, value: 2 } as const;

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

/** Serializes a graph to ModelProto bytes; the output depends only on the argument, never on time or host. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const usesMl = model.nodes.some((node) => node.domain === 'ai.onnx.ml');
  const writer = new ProtobufWriter()
    .varint(MODEL.irVersion, ONNX_IR_VERSION)
    .string(MODEL.producerName, model.producerName)
    .string(MODEL.producerVersion, model.producerVersion)
    .varint(MODEL.modelVersion, 1);
  if (model.docString) writer.string(MODEL.docString, model.docString);
  writer.message(MODEL.graph, (graph) => writeGraph(graph, model));
  writer.message(MODEL.opsetImport, (opset) => opset.string(OPSET.domain, '').varint(OPSET.version, ONNX_OPSET));
  if (usesMl) {
    writer.message(MODEL.opsetImport, (opset) => opset.string(OPSET.domain, 'ai.onnx.ml').varint(OPSET.version, ONNX_ML_OPSET));
  }
  for (const key of Object.keys(model.metadata ?? {}).sort()) {
    writer.message(MODEL.metadataProps, (entry) => entry.string(STRING_ENTRY.key, key).string(STRING_ENTRY.value, model.metadata![key]));
  }
  return writer.finish();
}

function writeGraph(graph: ProtobufWriter, model: OnnxModel): void {
  for (const node of model.nodes) graph.message(GRAPH.node, (w) => writeNode(w, node));
  graph.string(GRAPH.name, model.graphName);
  for (const init of model.initializers) graph.message(GRAPH.initializer, (w) => writeTensor(w, init));
  for (const input of model.inputs) graph.message(GRAPH.input, (w) => writeValueInfo(w, input));
  for (const output of model.outputs) graph.message(GRAPH.output, (w) => writeValueInfo(w, output));
}

function writeNode(w: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(NODE.input, input);
  for (const output of node.outputs) w.string(NODE.output, output);
  w.string(NODE.name, node.name).string(NODE.opType, node.opType);
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(NODE.attribute, (a) => writeAttribute(a, name, value));
  if (node.domain) w.string(NODE.domain, node.domain);
}

function writeAttribute(w: ProtobufWriter, name: string, attr: AttributeValue): void {
  w.string(ATTRIBUTE.name, name);
  switch (attr.kind) {
    case 'float':
      w.float(ATTRIBUTE.f, attr.value);
      break;
    case 'int':
      w.varint(ATTRIBUTE.i, attr.value);
      break;
    case 'string':
      w.string(ATTRIBUTE.s, attr.value);
      break;
    case 'floats':
      w.packedFloats(ATTRIBUTE.floats, attr.value);
      break;
    case 'ints':
      w.packedVarints(ATTRIBUTE.ints, attr.value);
      break;
    case 'strings':
      for (const s of attr.value) w.string(ATTRIBUTE.strings, s);
      break;
  }
  w.varint(ATTRIBUTE.type, ATTRIBUTE_TYPE[attr.kind]);
}

function writeTensor(w: ProtobufWriter, tensor: OnnxInitializer): void {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (expected !== tensor.values.length) {
    throw new RangeError(`initializer ${tensor.name}: dims ${tensor.dims.join('x')} need ${expected} values, got ${tensor.values.length}`);
  }
  w.packedVarints(TENSOR.dims, tensor.dims).varint(TENSOR.dataType, tensor.type);
  if (tensor.type === ElementType.float) w.packedFloats(TENSOR.floatData, tensor.values);
  else w.packedVarints(TENSOR.int64Data, tensor.values);
  w.string(TENSOR.name, tensor.name);
}

function writeValueInfo(w: ProtobufWriter, info: OnnxValueInfo): void {
  w.string(VALUE_INFO.name, info.name);
  w.message(VALUE_INFO.type, (type) =>
    type.message(TYPE.tensorType, (tensor) => {
      tensor.varint(TENSOR_TYPE.elemType, info.type);
      tensor.message(TENSOR_TYPE.shape, (shape) => {
        for (const dim of info.shape) shape.message(SHAPE.dim, (d) => (dim === null ? undefined : d.varint(DIMENSION.dimValue, dim)));
      });
    }),
  );
}
