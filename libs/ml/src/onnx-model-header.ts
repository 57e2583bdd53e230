import { readFields } from './protobuf-wire-reader';

/** ModelProto field numbers from onnx.proto. */
const MODEL = { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;

export interface OnnxModelHeader {
  irVersion: number | null;
  producer: string | null;
  /** Version of the default (ai.onnx) operator set. */
  opset: number | null;
  /** Every imported operator set, e.g. { 'ai.onnx': 17, 'ai.onnx.ml': 3 }. */
  opsets: Record<string, number>;
  hasGraph: boolean;
}

const decoder = new TextDecoder();

export function readOnnxModelHeader(bytes: Uint8Array): OnnxModelHeader {
  const header: OnnxModelHeader = { irVersion: null, producer: null, opset: null, opsets: {}, hasGraph: false };
  let producerName = '';
  let producerVersion = '';
  for (const field of readFields(bytes)) {
    if (field.fieldNumber === MODEL.irVersion && field.wireType === 0) header.irVersion = Number(field.value);
    if (field.fieldNumber === MODEL.producerName && field.wireType === 2) producerName = decoder.decode(field.value);
    if (field.fieldNumber === MODEL.producerVersion && field.wireType === 2) producerVersion = decoder.decode(field.value);
    if (field.fieldNumber === MODEL.graph && field.wireType === 2) header.hasGraph = true;
    if (field.fieldNumber === MODEL.opsetImport && field.wireType === 2) {
      const [domain, version] = readOpset(field.value);
      header.opsets[domain] = version;
    }
  }
  if (producerName) header.producer = producerVersion ? `${producerName} ${producerVersion}` : producerName;
  header.opset = header.opsets['ai.onnx'] ?? null;
  return header;
}

function readOpset(bytes: Uint8Array): [string, number] {
  let domain = '';
  let version = 0;
  for (const field of readFields(bytes)) {
    if (field.fieldNumber === OPSET.domain && field.wireType === 2) domain = decoder.decode(field.value);
    if (field.fieldNumber === OPSET.version && field.wireType === 0) version = Number(field.value);
  }
  return [domain === '' ? 'ai.onnx' : domain, version];
}
