import { InferenceSession, Tensor } from 'onnxruntime-node';
import { decodeModelProto, encodeModelProto, InvalidOnnxBytes, OnnxModelProto } from '../onnx-proto';
import type { FeatureMatrix } from '../training/dataset';

/** The model cannot be scored on these features for this task; `reason` says why. */
export class IncompatibleModel extends Error {
  constructor(readonly reason: string) {
    super(`incompatible model: ${reason}`);
    this.name = 'IncompatibleModel';
  }
}

export type ScoringTask = 'classification' | 'regression';

const CLASSIFIER_ALGORITHMS = new Set(['logistic_regression', 'gbdt_classifier']);
const REGRESSOR_ALGORITHMS = new Set(['linear_regression', 'gbdt_regressor']);
const MAX_BATCH_ROWS = 65_536;

/**
 * Scores a model on a feature matrix: P(class 1) per row for a classifier, the predicted value for a
 * regressor. Works on the trainer's own exports and on models from other frameworks: a [N, 2] probability
 * tensor, a single [N] / [N, 1] probability column, or skl2onnx's ZipMap output (a sequence of maps, which
 * onnxruntime-node cannot return, so the tensor feeding the ZipMap is exposed as an extra graph output).
 * Throws IncompatibleModel when the model's inputs or outputs do not fit the features or the task.
 */
export async function scoreOnnxModel(onnx: Uint8Array, features: FeatureMatrix, task: ScoringTask): Promise<Float64Array> {
  const structure = readStructure(onnx);
  checkMetadata(structure.metadata, features, task);
  const zipMapInput = task === 'classification' ? structure.zipMapInputs[0] : undefined;
  const bytes = zipMapInput ? withExtraOutput(onnx, zipMapInput) : onnx;
  let session: InferenceSession;
  try {
    session = await InferenceSession.create(bytes);
  } catch (err) {
    throw new IncompatibleModel(`onnxruntime cannot load it: ${(err as Error).message}`);
  }
  try {
    const input = inputOf(session, features);
    const output = task === 'classification' ? classifierOutput(session, zipMapInput) : regressorOutput(session);
    const scores = new Float64Array(features.rows);
    const batch = input.fixedBatch ?? MAX_BATCH_ROWS;
    if (input.fixedBatch !== undefined && features.rows % input.fixedBatch !== 0) {
      throw new IncompatibleModel(`its input has a fixed batch of ${input.fixedBatch} rows, which does not divide ${features.rows} rows`);
    }
    for (let start = 0; start < features.rows; start += batch) {
      const rows = Math.min(batch, features.rows - start);
      const slice = features.values.subarray(start * features.cols, (start + rows) * features.cols);
      const data = input.type === 'float64' ? Float64Array.from(slice) : Float32Array.from(slice);
      const results = await session.run({ [input.name]: new Tensor(input.type, data, [rows, features.cols]) }, [output.name]);
      output.read(results[output.name], rows, scores, start);
    }
    return scores;
  } finally {
    await session.release();
  }
}

interface ModelStructure {
  metadata: Map<string, string>;
  /** Inputs of ZipMap nodes whose output is a graph output, in graph order. */
  zipMapInputs: string[];
}

function readStructure(onnx: Uint8Array): ModelStructure {
  let model: OnnxModelProto;
  try {
    model = decodeModelProto(onnx);
  } catch (err) {
    if (err instanceof InvalidOnnxBytes) throw new IncompatibleModel(`not a valid ONNX model: ${err.message}`);
    throw err;
  }
  const metadata = new Map((model.metadataProps ?? []).map((entry) => [entry.key ?? '', entry.value ?? '']));
  const zipMapInputs = (model.graph?.node ?? []).filter((node) => node.opType === 'ZipMap' && node.input?.[0]).map((node) => node.input![0]);
  return { metadata, zipMapInputs };
}

/** Our own exports name their algorithm and feature columns: a mismatch is caught before any scoring. */
function checkMetadata(metadata: Map<string, string>, features: FeatureMatrix, task: ScoringTask): void {
  const algorithm = metadata.get('algorithm');
  if (algorithm && task === 'classification' && REGRESSOR_ALGORITHMS.has(algorithm)) {
    throw new IncompatibleModel(`it is a ${algorithm}, not a classifier`);
  }
  if (algorithm && task === 'regression' && CLASSIFIER_ALGORITHMS.has(algorithm)) {
    throw new IncompatibleModel(`it is a ${algorithm}, not a regressor`);
  }
  const names = metadata.get('feature_names');
  if (!names) return;
  let expected: unknown;
  try {
    expected = JSON.parse(names);
  } catch {
    return; // free-form metadata from another producer says nothing about our columns
  }
  if (!Array.isArray(expected)) return;
  if (expected.length !== features.cols || expected.some((name, i) => name !== features.featureNames[i])) {
    throw new IncompatibleModel(`it was trained on features [${expected.join(', ')}], the data has [${features.featureNames.join(', ')}]`);
  }
}

/**
 * Protobuf merges repeated occurrences of a message field, so a second `graph` field holding one more
 * `output` appends that output to the model's graph without re-encoding the rest.
 */
function withExtraOutput(onnx: Uint8Array, name: string): Uint8Array {
  const extra = encodeModelProto({ graph: { output: [{ name }] } });
  const merged = new Uint8Array(onnx.length + extra.length);
  merged.set(onnx);
  merged.set(extra, onnx.length);
  return merged;
}

interface ModelInput {
  name: string;
  type: 'float32' | 'float64';
  fixedBatch?: number;
}

function inputOf(session: InferenceSession, features: FeatureMatrix): ModelInput {
  if (session.inputMetadata.length !== 1) {
    throw new IncompatibleModel(`it takes ${session.inputMetadata.length} inputs (${session.inputNames.join(', ')}); one [N, ${features.cols}] feature tensor is supported`);
  }
  const meta = session.inputMetadata[0];
  if (!meta.isTensor || (meta.type !== 'float32' && meta.type !== 'float64')) {
    throw new IncompatibleModel(`its input ${meta.name} is ${meta.isTensor ? meta.type : 'not a tensor'}, not a float tensor`);
  }
  if (meta.shape.length !== 2) throw new IncompatibleModel(`its input ${meta.name} has ${meta.shape.length} dimensions, not [N, features]`);
  const [batch, cols] = meta.shape;
  if (typeof cols === 'number' && cols !== features.cols) {
    throw new IncompatibleModel(`its input ${meta.name} takes ${cols} features, the data has ${features.cols}`);
  }
  return { name: meta.name, type: meta.type, ...(typeof batch === 'number' && batch > 0 ? { fixedBatch: batch } : {}) };
}

interface ScoreOutput {
  name: string;
  read(tensor: Tensor | undefined, rows: number, into: Float64Array, offset: number): void;
}

type TensorMeta = InferenceSession.ValueMetadata & { isTensor: true };

const floatTensors = (session: InferenceSession): TensorMeta[] =>
  session.outputMetadata.filter((m): m is TensorMeta => m.isTensor && (m.type === 'float32' || m.type === 'float64'));

/** Column `column` of a [rows, width] (or [rows] when width is 1) tensor, checked for its size. */
function columnReader(name: string, width: number, column: number, check?: (value: number) => void): ScoreOutput {
  return {
    name,
    read(tensor, rows, into, offset) {
      if (!tensor || tensor.size !== rows * width) {
        throw new IncompatibleModel(`its output ${name} has ${tensor?.size ?? 0} values for ${rows} rows, expected ${rows * width}`);
      }
      const data = tensor.data as Float32Array | Float64Array;
      for (let r = 0; r < rows; r++) {
        const value = data[r * width + column];
        check?.(value);
        into[offset + r] = value;
      }
    },
  };
}

function classifierOutput(session: InferenceSession, zipMapInput: string | undefined): ScoreOutput {
  // an output added by name carries no type information: its size is checked when it is read
  if (zipMapInput) return columnReader(zipMapInput, 2, 1);
  const candidates = floatTensors(session);
  const pairs = candidates.filter((m) => m.shape.length === 2 && m.shape[1] === 2);
  const chosen = pairs.find((m) => m.name === 'probabilities') ?? pairs[0];
  if (chosen) return columnReader(chosen.name, 2, 1);
  const single = candidates.find((m) => (m.shape.length === 1 || (m.shape.length === 2 && m.shape[1] === 1)));
  if (single) {
    return columnReader(single.name, 1, 0, (p) => {
      if (!(p >= 0 && p <= 1)) throw new IncompatibleModel(`its output ${single.name} holds ${p}, not a probability`);
    });
  }
  const widths = candidates.map((m) => `${m.name} [${m.shape.join(', ')}]`).join(', ') || 'none';
  throw new IncompatibleModel(`it has no binary-class probability output (float outputs: ${widths})`);
}

function regressorOutput(session: InferenceSession): ScoreOutput {
  const single = floatTensors(session).filter((m) => m.shape.length === 1 || (m.shape.length === 2 && m.shape[1] === 1));
  const chosen = single.find((m) => m.name === 'prediction') ?? single.find((m) => m.name === 'variable') ?? single[0];
  if (!chosen) throw new IncompatibleModel(`it has no single-valued float output (outputs: ${session.outputNames.join(', ')})`);
  return columnReader(chosen.name, 1, 0);
}
