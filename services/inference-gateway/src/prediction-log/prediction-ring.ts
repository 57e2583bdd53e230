import { OIP_DATATYPES, OipDatatype, TensorValues } from '../inference/datatypes';
import type { DecodedTensor } from '../inference/tensor';
import type { Role } from '../traffic/traffic-router';
import type { PredictionRecord } from './prediction-record';

/** Where one record lies in the ring's buffer: its bytes are exactly what a journal keeps of it. */
export interface RingSlot {
  at: number;
  size: number;
}

/** Records [start, end) of the ring, in virtual (ever-growing) byte offsets. */
export interface RingSpan {
  start: number;
  end: number;
  count: number;
}

const ROLES: Role[] = ['champion', 'challenger', 'shadow'];
const WRAP = 0xffffffff;
const HEADER_BYTES = 32;
const ARRAYS: Record<Exclude<OipDatatype, 'BYTES'>, { new (buffer: ArrayBufferLike, offset: number, length: number): Exclude<TensorValues, string[]>; BYTES_PER_ELEMENT: number }> = {
  BOOL: Uint8Array,
  UINT8: Uint8Array,
  INT8: Int8Array,
  INT16: Int16Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
  FP32: Float32Array,
  FP64: Float64Array,
};

const align8 = (n: number) => (n + 7) & ~7;
const strBytes = (s: string) => 4 + Buffer.byteLength(s, 'utf8');

/**
 * Prediction records as they cross from the request thread to the log worker: written once, in place, into a
 * SharedArrayBuffer the worker reads directly. Nothing is structured-cloned and no record object outlives its
 * request, so logging costs the request thread a copy of the tensors' bytes and little garbage. The writer appends
 * and hands over spans; a span's bytes are reused only after it is released, spans being released in order.
 */
export class PredictionRing {
  private readonly view: DataView;
  readonly bytes: Buffer;
  private written = 0;
  private taken = 0;
  private released = 0;
  private pending = 0;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.view = new DataView(buffer);
    this.bytes = Buffer.from(buffer);
  }

  static ofSize(bytes: number): PredictionRing {
    return new PredictionRing(new SharedArrayBuffer(align8(Math.max(64, bytes))));
  }

  /** Records appended since the last take. */
  get pendingCount(): number {
    return this.pending;
  }

  /** Where the record was written; null when it does not fit in the space not yet released. */
  append(record: PredictionRecord): RingSlot | null {
    const size = encodedSize(record);
    const capacity = this.buffer.byteLength;
    let at = this.written % capacity;
    let start = this.written;
    if (at + size > capacity) {
      start += capacity - at;
      at = 0;
    }
    if (start + size - this.released > capacity) return null;
    if (start !== this.written) this.view.setUint32(this.written % capacity, WRAP, true);
    this.encode(record, at, size);
    this.written = start + size;
    this.pending++;
    return { at, size };
  }

  /** Everything appended since the last take, or null. */
  take(): RingSpan | null {
    if (this.pending === 0) return null;
    const span = { start: this.taken, end: this.written, count: this.pending };
    this.taken = this.written;
    this.pending = 0;
    return span;
  }

  release(span: RingSpan): void {
    this.released = Math.max(this.released, span.end);
  }

  /**
   * The span's records. Their tensors are views into the ring: read them before the span is released.
   */
  static read(buffer: SharedArrayBuffer, span: RingSpan): PredictionRecord[] {
    const view = new DataView(buffer);
    const bytes = Buffer.from(buffer);
    const capacity = buffer.byteLength;
    const records: PredictionRecord[] = [];
    let offset = span.start;
    while (records.length < span.count) {
      let at = offset % capacity;
      if (capacity - at < HEADER_BYTES || view.getUint32(at, true) === WRAP) {
        offset += capacity - at;
        at = 0;
      }
      const size = view.getUint32(at, true);
      records.push(decodeRecord(view, bytes, at));
      offset += size;
    }
    return records;
  }

  /**
   * Records written back to back from offset 0, as a journal holds them; a record cut short at the end (a write the
   * process did not finish) is left out. Tensors are views into the buffer.
   */
  static readAll(buffer: ArrayBuffer): PredictionRecord[] {
    const view = new DataView(buffer);
    const bytes = Buffer.from(buffer);
    const records: PredictionRecord[] = [];
    for (let at = 0; at + HEADER_BYTES <= buffer.byteLength; ) {
      const size = view.getUint32(at, true);
      if (size < HEADER_BYTES || at + size > buffer.byteLength) break;
      records.push(decodeRecord(view, bytes, at));
      at += size;
    }
    return records;
  }

  private encode(record: PredictionRecord, at: number, size: number): void {
    const view = this.view;
    view.setUint32(at, size, true);
    view.setUint32(at + 4, record.version, true);
    view.setFloat64(at + 8, record.at.getTime(), true);
    view.setFloat64(at + 16, record.latencyMs, true);
    view.setUint8(at + 24, ROLES.indexOf(record.role));
    view.setUint8(at + 25, record.inputs.length);
    view.setUint8(at + 26, record.outputs.length);
    let p = this.writeString(at + HEADER_BYTES, record.requestId);
    p = this.writeString(p, record.modelName);
    for (const tensor of record.inputs) p = this.writeTensor(p, tensor);
    for (const tensor of record.outputs) p = this.writeTensor(p, tensor);
  }

  private writeString(p: number, text: string): number {
    const length = this.bytes.write(text, p + 4, 'utf8');
    this.view.setUint32(p, length, true);
    return p + 4 + length;
  }

  private writeTensor(p: number, tensor: DecodedTensor): number {
    p = this.writeString(p, tensor.name);
    this.view.setUint8(p, OIP_DATATYPES.indexOf(tensor.datatype));
    this.view.setUint8(p + 1, tensor.shape.length);
    p += 4;
    for (const dim of tensor.shape) {
      this.view.setUint32(p, dim, true);
      p += 4;
    }
    const values = tensor.values;
    if (Array.isArray(values)) {
      this.view.setUint32(p, values.length, true);
      p += 4;
      for (const value of values) p = this.writeString(p, value);
      return p;
    }
    this.view.setUint32(p, values.length, true);
    p = align8(p + 4);
    this.bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), p);
    return p + values.byteLength;
  }
}

/** Bytes the record takes in the ring, exactly as encode writes it, rounded up to 8. */
function encodedSize(record: PredictionRecord): number {
  let size = HEADER_BYTES + strBytes(record.requestId) + strBytes(record.modelName);
  for (const tensor of record.inputs) size = tensorEnd(size, tensor);
  for (const tensor of record.outputs) size = tensorEnd(size, tensor);
  return align8(size);
}

function tensorEnd(p: number, tensor: DecodedTensor): number {
  p += strBytes(tensor.name) + 4 + 4 * tensor.shape.length;
  const values = tensor.values;
  if (Array.isArray(values)) {
    p += 4;
    for (const value of values) p += strBytes(value);
    return p;
  }
  return align8(p + 4) + values.byteLength;
}

function decodeRecord(view: DataView, bytes: Buffer, at: number): PredictionRecord {
  const version = view.getUint32(at + 4, true);
  const time = view.getFloat64(at + 8, true);
  const latencyMs = view.getFloat64(at + 16, true);
  const role = ROLES[view.getUint8(at + 24)];
  const inputCount = view.getUint8(at + 25);
  const outputCount = view.getUint8(at + 26);
  const cursor = { p: at + HEADER_BYTES };
  const requestId = readString(view, bytes, cursor);
  const modelName = readString(view, bytes, cursor);
  const inputs: DecodedTensor[] = [];
  for (let i = 0; i < inputCount; i++) inputs.push(readTensor(view, bytes, cursor));
  const outputs: DecodedTensor[] = [];
  for (let i = 0; i < outputCount; i++) outputs.push(readTensor(view, bytes, cursor));
  return { requestId, modelName, version, role, inputs, outputs, latencyMs, at: new Date(time) };
}

function readString(view: DataView, bytes: Buffer, cursor: { p: number }): string {
  const length = view.getUint32(cursor.p, true);
  const text = bytes.toString('utf8', cursor.p + 4, cursor.p + 4 + length);
  cursor.p += 4 + length;
  return text;
}

function readTensor(view: DataView, bytes: Buffer, cursor: { p: number }): DecodedTensor {
  const name = readString(view, bytes, cursor);
  const datatype = OIP_DATATYPES[view.getUint8(cursor.p)];
  const rank = view.getUint8(cursor.p + 1);
  cursor.p += 4;
  const shape: number[] = [];
  for (let i = 0; i < rank; i++, cursor.p += 4) shape.push(view.getUint32(cursor.p, true));
  const count = view.getUint32(cursor.p, true);
  if (datatype === 'BYTES') {
    cursor.p += 4;
    const values: string[] = [];
    for (let i = 0; i < count; i++) values.push(readString(view, bytes, cursor));
    return { name, datatype, shape, values };
  }
  const kind = ARRAYS[datatype];
  const start = align8(cursor.p + 4);
  cursor.p = start + count * kind.BYTES_PER_ELEMENT;
  return { name, datatype, shape, values: new kind(view.buffer, start, count) };
}
