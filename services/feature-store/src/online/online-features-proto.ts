import type { FeatureStatus, FeatureValue, OnlineFeaturesResult } from './online-features';

// Field tags of proto/feature_store/feature_store.proto: (field number << 3) | wire type (0 varint, 1 fixed64, 2 bytes).
const RESULTS = 0x0a;
const JOIN_KEYS = 0x0a;
const FEATURES = 0x12;
const MAP_KEY = 0x0a;
const MAP_VALUE = 0x12;
const VALUE = 0x0a;
const STATUS = 0x10;
const EVENT_TIME = 0x1a;
const INT64_VALUE = 0x08;
const FLOAT64_VALUE = 0x11;
const STRING_VALUE = 0x1a;
const BOOL_VALUE = 0x20;
const STATUS_NUMBER: Record<FeatureStatus, number> = { PRESENT: 1, NOT_FOUND: 2, EXPIRED: 3 };

/** A growing buffer with protobuf's primitives; a nested message reserves one length byte and moves only if longer. */
class ProtoWriter {
  private buf = Buffer.allocUnsafe(16 * 1024);
  private pos = 0;

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + bytes));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** int64 in two's complement, so a negative number takes ten bytes as protobuf requires. */
  int64(n: number): void {
    if (n >= 0) return this.varint(n);
    let big = BigInt.asUintN(64, BigInt(Math.trunc(n)));
    this.ensure(10);
    while (big >= 0x80n) {
      this.buf[this.pos++] = Number(big & 0x7fn) | 0x80;
      big >>= 7n;
    }
    this.buf[this.pos++] = Number(big);
  }

  double(n: number): void {
    this.ensure(8);
    this.pos = this.buf.writeDoubleLE(n, this.pos);
  }

  string(text: string): void {
    const length = Buffer.byteLength(text);
    this.varint(length);
    this.ensure(length);
    this.pos += this.buf.write(text, this.pos, length, 'utf8');
  }

  bytes(data: Buffer): void {
    this.varint(data.length);
    this.raw(data);
  }

  raw(data: Buffer): void {
    this.ensure(data.length);
    this.pos += data.copy(this.buf, this.pos);
  }

  fork(): number {
    this.byte(0);
    return this.pos;
  }

  /** Writes the length of what was written since fork() in front of it. */
  ldelim(start: number): void {
    const length = this.pos - start;
    if (length < 0x80) {
      this.buf[start - 1] = length;
      return;
    }
    let extra = 0;
    for (let n = length >> 7; n > 0; n >>= 7) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + extra, start, this.pos);
    this.pos += extra;
    let at = start - 1;
    let n = length;
    while (n >= 0x80) {
      this.buf[at++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[at] = n;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

// The UTF-8 bytes of each ref, kept across calls like the JSON key text in online-features-json.ts, and bounded the same.
const MAX_CACHED_REFS = 10_000;
const refBytes = new Map<string, Buffer>();

function bytesOf(ref: string): Buffer {
  let bytes = refBytes.get(ref);
  if (bytes === undefined) {
    bytes = Buffer.from(ref, 'utf8');
    if (refBytes.size < MAX_CACHED_REFS) refBytes.set(ref, bytes);
  }
  return bytes;
}

function writeValue(w: ProtoWriter, value: FeatureValue['value'], type: string | undefined): void {
  if (value === null) return;
  w.byte(VALUE);
  const start = w.fork();
  if (typeof value === 'boolean') {
    w.byte(BOOL_VALUE);
    w.byte(value ? 1 : 0);
  } else if (typeof value === 'string') {
    w.byte(STRING_VALUE);
    w.string(value);
  } else if (type === 'int64') {
    w.byte(INT64_VALUE);
    w.int64(value);
  } else {
    w.byte(FLOAT64_VALUE);
    w.double(value);
  }
  w.ldelim(start);
}

/**
 * GetOnlineFeaturesResponse encoded straight from the read's result. The generic encoder first builds a message
 * object per value, a thousand of them for 100 entities x 10 features, and cost several times the read itself.
 * `types` gives each ref's feature type: int64 and float64 values look alike in JSON.
 */
/** The status and event-time fields of a FeatureValue, which every feature of one stored row shares. */
function tailOf(status: FeatureStatus, eventTime: string | null): Buffer {
  const time = eventTime ? Buffer.from(eventTime, 'utf8') : null;
  const tail = Buffer.allocUnsafe(2 + (time ? 2 + time.length : 0));
  tail[0] = STATUS;
  tail[1] = STATUS_NUMBER[status];
  if (time) {
    // RFC 3339 text is far shorter than 128 bytes: its length is one byte.
    tail[2] = EVENT_TIME;
    tail[3] = time.length;
    time.copy(tail, 4);
  }
  return tail;
}

export function encodeOnlineFeaturesResponse(result: OnlineFeaturesResult, types: Map<string, string>): Buffer {
  const w = new ProtoWriter();
  let lastStatus: FeatureStatus | null = null;
  let lastTime: string | null | undefined;
  let tail: Buffer = Buffer.alloc(0);
  for (const row of result.results) {
    w.byte(RESULTS);
    const rowStart = w.fork();
    for (const name in row.entity) {
      w.byte(JOIN_KEYS);
      const entry = w.fork();
      w.byte(MAP_KEY);
      w.string(name);
      w.byte(MAP_VALUE);
      w.string(String(row.entity[name]));
      w.ldelim(entry);
    }
    for (const ref in row.features) {
      const v = row.features[ref];
      w.byte(FEATURES);
      const entry = w.fork();
      w.byte(MAP_KEY);
      w.bytes(bytesOf(ref));
      w.byte(MAP_VALUE);
      const valueStart = w.fork();
      writeValue(w, v.value, types.get(ref));
      if (v.status !== lastStatus || v.eventTime !== lastTime) {
        lastStatus = v.status;
        lastTime = v.eventTime;
        tail = tailOf(v.status, v.eventTime);
      }
      w.raw(tail);
      w.ldelim(valueStart);
      w.ldelim(entry);
    }
    w.ldelim(rowStart);
  }
  return w.finish();
}
