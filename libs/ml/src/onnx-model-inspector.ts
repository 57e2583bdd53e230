import { InferenceSession } from 'onnxruntime-node';
import type { ModelSignature } from '@mlops/contracts';
import { readOnnxModelHeader } from './onnx-model-header';
import { InvalidOnnxBytes } from './onnx-proto';

export class InvalidOnnxModel extends Error {
  constructor(readonly reason: string) {
    super(`not a valid ONNX model: ${reason}`);
    this.name = 'InvalidOnnxModel';
  }
}

/**
 * Reads a model's signature from the file itself: names, element types and shapes come from onnxruntime
 * (so a model we accept is one we can serve), opset and producer from the ModelProto header.
 */
export async function inspectOnnxModel(bytes: Uint8Array): Promise<ModelSignature> {
  let header;
  try {
    header = readOnnxModelHeader(bytes);
  } catch (err) {
    if (err instanceof InvalidOnnxBytes) throw new InvalidOnnxModel(err.message);
    throw err;
  }
  if (!header.hasGraph) throw new InvalidOnnxModel('the file has no graph');
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes);
  } catch (err) {
    throw new InvalidOnnxModel((err as Error).message);
  }
  try {
    return {
      inputs: session.inputMetadata.map(toTensorSpec),
      outputs: session.outputMetadata.map(toTensorSpec),
      ...(header.opset !== null ? { opset: header.opset } : {}),
      ...(header.producer !== null ? { producer: header.producer } : {}),
    };
  } finally {
    await session.release();
  }
}

/** onnxruntime reports unnamed symbolic dimensions as ""; the signature calls them null. */
function toTensorSpec(meta: InferenceSession.ValueMetadata): ModelSignature['inputs'][number] {
  if (!meta.isTensor) return { name: meta.name, elementType: 'non-tensor', shape: [] };
  return { name: meta.name, elementType: meta.type, shape: meta.shape.map((dim) => (dim === '' ? null : dim)) };
}
