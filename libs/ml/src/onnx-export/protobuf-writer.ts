/**
 * Minimal protobuf encoder: enough of the wire format (varints, length-delimited fields, packed scalars) to
 * write ONNX ModelProto files. Fields are emitted in the order the caller writes them, so the same calls
 * always give the same bytes.
 */
export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private static readonly encoder = new TextEncoder();

  /** Wire type 0; int64 fields accept any safe integer, negatives are encoded as ten-byte two's complement. */
  varint(fieldNumber: number, value: number): this {
    this.tag(fieldNumber, 0);
    this.rawVarint(value);
    return this;
  }

  string(fieldNumber: number, value: string): this {
    return this.bytes(fieldNumber, ProtobufWriter.encoder.encode(value));
  }

  bytes(fieldNumber: number, value: Uint8Array): this {
    this.tag(fieldNumber, 2);
    this.rawVarint(value.length);
    this.push(value);
    return this;
  }

  message(fieldNumber: number, build: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    build(inner);
    return this.bytes(fieldNumber, inner.finish());
  }

  /** Wire type 5, little-endian IEEE-754 single. */
  float(fieldNumber: number, value: number): this {
    this.tag(fieldNumber, 5);
    const buf = new Uint8Array(4);
    new DataView(buf.buffer).setFloat32(0, value, true);
    this.push(buf);
    return this;
  }

  packedFloats(fieldNumber: number, values: ArrayLike<number>): this {
    const buf = new Uint8Array(values.length * 4);
    const view = new DataView(buf.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
    return this.bytes(fieldNumber, buf);
  }

  packedVarints(fieldNumber: number, values: ArrayLike<number>): this {
    const inner = new ProtobufWriter();
    for (let i = 0; i < values.length; i++) inner.rawVarint(values[i]);
    return this.bytes(fieldNumber, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private tag(fieldNumber: number, wireType: number): void {
    this.rawVarint(fieldNumber * 8 + wireType);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`varint must be a safe integer, got ${value}`);
    const bytes: number[] = [];
    if (value >= 0 && value <= 0x7fffffff) {
      let small = value;
      while (small >= 0x80) {
        bytes.push((small & 0x7f) | 0x80);
        small >>>= 7;
      }
      bytes.push(small);
      this.push(Uint8Array.from(bytes));
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.push(Uint8Array.from(bytes));
  }

  private push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
}
