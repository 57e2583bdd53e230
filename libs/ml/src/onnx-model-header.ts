import { decodeModelProto } from './onnx-proto';

export interface OnnxModelHeader {
  irVersion: number | null;
  producer: string | null;
  /** Version of the default (ai.onnx) operator set. */
  opset: number | null;
  /** Every imported operator set, e.g. { 'ai.onnx': 17, 'ai.onnx.ml': 3 }. */
  opsets: Record<string, number>;
  hasGraph: boolean;
}

/** The ModelProto's header fields; bytes that are not a ModelProto throw InvalidOnnxBytes. */
export function readOnnxModelHeader(bytes: Uint8Array): OnnxModelHeader {
  const model = decodeModelProto(bytes);
  const opsets: Record<string, number> = {};
  for (const { domain, version } of model.opsetImport ?? []) opsets[domain ? domain : 'ai.onnx'] = version ?? 0;
  const name = model.producerName ?? '';
  return {
    irVersion: model.irVersion ?? null,
    producer: name ? (model.producerVersion ? `${name} ${model.producerVersion}` : name) : null,
    opset: opsets['ai.onnx'] ?? null,
    opsets,
    hasGraph: model.graph !== undefined,
  };
}
