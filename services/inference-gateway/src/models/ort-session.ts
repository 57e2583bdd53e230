import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { binding, initOrt } from 'onnxruntime-node/dist/binding';
import type { Binding } from 'onnxruntime-node/dist/binding';

export type OrtSessionOptions = InferenceSession.SessionOptions;

export interface OrtValueMetadata {
  name: string;
  isTensor: boolean;
  /** onnxruntime's element type name ('float32', 'int64', ...); null for a type it has no name for here. */
  type: string | null;
  /** A size, or null for a symbolic (any size) dimension. */
  shape: (number | null)[];
}

// ONNX TensorProto element type numbers, as the native session reports them.
const ELEMENT_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64' };

/**
 * An onnxruntime session driven through onnxruntime-node's native binding directly. The package's public
 * InferenceSession runs each call a turn of the event loop later (setImmediate) and re-wraps every output; for a
 * tabular model that costs as much as the run itself, and the extra turn adds a loop iteration to every request's
 * latency. The native run is synchronous, on the calling thread, exactly as the public API ends up running it.
 */
export class OrtSession {
  readonly inputMetadata: OrtValueMetadata[];
  readonly outputMetadata: OrtValueMetadata[];
  private readonly fetches: Record<string, null> = {};
  private released = false;

  private constructor(private readonly native: Binding.InferenceSession) {
    this.inputMetadata = native.inputMetadata.map(metadataOf);
    this.outputMetadata = native.outputMetadata.map(metadataOf);
    for (const output of native.outputMetadata) this.fetches[output.name] = null;
  }

  /** Throws onnxruntime's own error for bytes that are not a model it can load. */
  static load(bytes: Uint8Array, options: OrtSessionOptions): OrtSession {
    initOrt();
    const native = new binding.InferenceSession();
    native.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, options);
    return new OrtSession(native);
  }

  /** Every output, by name. */
  run(feeds: Record<string, Tensor>): Record<string, Tensor> {
    if (this.released) throw new Error('the onnxruntime session has been released');
    return this.native.run(feeds, this.fetches, {}) as Record<string, Tensor>;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.native.dispose();
  }
}

function metadataOf(meta: Binding.ValueMetadata): OrtValueMetadata {
  return {
    name: meta.name,
    isTensor: meta.isTensor,
    type: ELEMENT_TYPES[meta.type] ?? null,
    shape: meta.shape.map((dim) => (dim >= 0 ? dim : null)),
  };
}
