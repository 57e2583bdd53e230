import type { OipDatatype, TensorValues } from '../inference/datatypes';
import type { DecodedTensor } from '../inference/tensor';
import type { Role } from '../traffic/traffic-router';
import type { PredictionRecord } from './prediction-record';

/**
 * A batch of records as it crosses to the log worker: every field in one flat array of primitives, every tensor's
 * bytes in one buffer that is transferred rather than copied. Structured cloning the records as objects costs a
 * serialized object per record, tensor and shape, and copies each typed array's whole backing buffer (often a
 * socket read or a batch's output, far larger than the tensor).
 */
export interface PackedRecords {
  fields: unknown[];
  bytes: ArrayBuffer;
}

const KINDS = [Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, BigInt64Array, Uint8Array] as const;
const KIND_CODES = new Map<unknown, number>(KINDS.map((kind, code) => [kind, code]));
const STRINGS = -1;

type TypedValues = Exclude<TensorValues, string[]>;

/** Every tensor starts on an 8-byte boundary, so each can be viewed in place whatever its element size. */
const aligned = (bytes: number) => (bytes + 7) & ~7;

export function packRecords(records: PredictionRecord[]): PackedRecords {
  let size = 0;
  for (const record of records) {
    for (const tensor of record.inputs) size += tensorBytes(tensor.values);
    for (const tensor of record.outputs) size += tensorBytes(tensor.values);
  }
  const bytes = new Uint8Array(size);
  const fields: unknown[] = [records.length];
  let at = 0;
  for (const record of records) {
    fields.push(record.requestId, record.modelName, record.version, record.role, record.latencyMs, record.at.getTime(), record.inputs.length, record.outputs.length);
    for (const tensor of record.inputs) at = packTensor(tensor, fields, bytes, at);
    for (const tensor of record.outputs) at = packTensor(tensor, fields, bytes, at);
  }
  return { fields, bytes: bytes.buffer };
}

function tensorBytes(values: TensorValues): number {
  return Array.isArray(values) ? 0 : aligned(values.byteLength);
}

function packTensor(tensor: DecodedTensor, fields: unknown[], bytes: Uint8Array, at: number): number {
  fields.push(tensor.name, tensor.datatype, tensor.shape.length);
  for (const dim of tensor.shape) fields.push(dim);
  const values = tensor.values;
  if (Array.isArray(values)) {
    fields.push(STRINGS, values.length);
    for (const value of values) fields.push(value);
    return at;
  }
  fields.push(KIND_CODES.get(values.constructor), values.length);
  bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), at);
  return at + aligned(values.byteLength);
}

export function unpackRecords(packed: PackedRecords): PredictionRecord[] {
  const { fields, bytes } = packed;
  let i = 0;
  let at = 0;
  const next = () => fields[i++];
  const tensor = (): DecodedTensor => {
    const name = next() as string;
    const datatype = next() as OipDatatype;
    const rank = next() as number;
    const shape = fields.slice(i, i + rank) as number[];
    i += rank;
    const code = next() as number;
    const count = next() as number;
    if (code === STRINGS) {
      const values = fields.slice(i, i + count) as string[];
      i += count;
      return { name, datatype, shape, values };
    }
    const kind = KINDS[code];
    const values = new kind(bytes, at, count) as TypedValues;
    at += aligned(values.byteLength);
    return { name, datatype, shape, values };
  };
  const count = next() as number;
  const records: PredictionRecord[] = [];
  for (let r = 0; r < count; r++) {
    const requestId = next() as string;
    const modelName = next() as string;
    const version = next() as number;
    const role = next() as Role;
    const latencyMs = next() as number;
    const timestamp = new Date(next() as number);
    const inputCount = next() as number;
    const outputCount = next() as number;
    const inputs = Array.from({ length: inputCount }, tensor);
    const outputs = Array.from({ length: outputCount }, tensor);
    records.push({ requestId, modelName, version, role, inputs, outputs, latencyMs, at: timestamp });
  }
  return records;
}
