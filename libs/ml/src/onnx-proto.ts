import { join } from 'node:path';
import { loadSync } from 'protobufjs';

/** The ONNX schema the platform writes and reads, loaded once from the repository's proto/onnx/onnx.proto. */
export const ONNX_PROTO_PATH = join(__dirname, '..', '..', '..', 'proto', 'onnx', 'onnx.proto');

const root = loadSync(ONNX_PROTO_PATH);
const modelProto = root.lookupType('onnx.ModelProto');

/** The fields of onnx.proto's messages the platform uses, in protobufjs's camelCase; int64s as numbers. */
export interface OnnxModelProto {
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  modelVersion?: number;
  docString?: string;
  graph?: OnnxGraphProto;
  opsetImport?: { domain?: string; version?: number }[];
  metadataProps?: { key?: string; value?: string }[];
}

export interface OnnxGraphProto {
  node?: OnnxNodeProto[];
  name?: string;
  initializer?: OnnxTensorProto[];
  input?: OnnxValueInfoProto[];
  output?: OnnxValueInfoProto[];
}

export interface OnnxNodeProto {
  input?: string[];
  output?: string[];
  name?: string;
  opType?: string;
  attribute?: OnnxAttributeProto[];
  domain?: string;
}

export interface OnnxAttributeProto {
  name?: string;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
  /** An AttributeProto.AttributeType value. */
  type?: number;
}

export interface OnnxTensorProto {
  dims?: number[];
  /** A TensorProto.DataType value. */
  dataType?: number;
  floatData?: number[];
  int64Data?: number[];
  name?: string;
}

export interface OnnxValueInfoProto {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}

export class InvalidOnnxBytes extends Error {}

export function encodeModelProto(model: OnnxModelProto): Uint8Array {
  return modelProto.encode(model).finish();
}

/** Decodes ModelProto bytes; bytes that are not one throw InvalidOnnxBytes with the decoder's reason. */
export function decodeModelProto(bytes: Uint8Array): OnnxModelProto {
  try {
    return modelProto.toObject(modelProto.decode(bytes), { longs: Number }) as OnnxModelProto;
  } catch (err) {
    throw new InvalidOnnxBytes((err as Error).message);
  }
}
