/** Element and field type codes of the Thrift compact protocol. */
export const ThriftType = { BOOL_TRUE: 1, BOOL_FALSE: 2, I32: 5, I64: 6, BINARY: 8, LIST: 9, STRUCT: 12 } as const;

/**
 * Encodes Thrift structs in the compact protocol, which is how Parquet stores its footer and page headers.
 * Fields are written in the order called, so callers write them in ascending id (the short delta form needs
 * that, and it keeps the bytes canonical).
 */
export class ThriftCompactWriter {
  private buffer = Buffer.alloc(256);
  private length = 0;
  private lastFieldId = 0;
  private readonly enclosingFieldIds: number[] = [];

  /** The bytes written so far (a copy, so the writer can be dropped or reused). */
  bytes(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.length));
  }

  i32(id: number, value: number): this {
    this.fieldHeader(id, ThriftType.I32);
    this.varint(zigzag32(value));
    return this;
  }

  i64(id: number, value: number | bigint): this {
    this.fieldHeader(id, ThriftType.I64);
    this.varint(zigzag64(BigInt(value)));
    return this;
  }

  /** The compact protocol folds a boolean field's value into its header. */
  bool(id: number, value: boolean): this {
    this.fieldHeader(id, value ? ThriftType.BOOL_TRUE : ThriftType.BOOL_FALSE);
    return this;
  }

  binary(id: number, value: string | Uint8Array): this {
    this.fieldHeader(id, ThriftType.BINARY);
    this.binaryValue(value);
    return this;
  }

  struct(id: number, writeFields: (w: this) => void): this {
    this.fieldHeader(id, ThriftType.STRUCT);
    return this.structValue(writeFields);
  }

  i32List(id: number, values: readonly number[]): this {
    this.listHeader(id, ThriftType.I32, values.length);
    for (const value of values) this.varint(zigzag32(value));
    return this;
  }

  binaryList(id: number, values: readonly (string | Uint8Array)[]): this {
    this.listHeader(id, ThriftType.BINARY, values.length);
    for (const value of values) this.binaryValue(value);
    return this;
  }

  structList<T>(id: number, items: readonly T[], writeFields: (w: this, item: T) => void): this {
    this.listHeader(id, ThriftType.STRUCT, items.length);
    for (const item of items) this.structValue((w) => writeFields(w, item));
    return this;
  }

  /** A top-level struct: its fields, then the stop byte. */
  structValue(writeFields: (w: this) => void): this {
    this.enclosingFieldIds.push(this.lastFieldId);
    this.lastFieldId = 0;
    writeFields(this);
    this.byte(0);
    this.lastFieldId = this.enclosingFieldIds.pop() as number;
    return this;
  }

  private fieldHeader(id: number, type: number): void {
    const delta = id - this.lastFieldId;
    if (delta > 0 && delta <= 15) {
      this.byte((delta << 4) | type);
    } else {
      this.byte(type);
      this.varint(zigzag32(id));
    }
    this.lastFieldId = id;
  }

  private listHeader(id: number, elementType: number, size: number): void {
    this.fieldHeader(id, ThriftType.LIST);
    if (size < 15) {
      this.byte((size << 4) | elementType);
    } else {
      this.byte(0xf0 | elementType);
      this.varint(BigInt(size));
    }
  }

  private binaryValue(value: string | Uint8Array): void {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.varint(BigInt(bytes.length));
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  private byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

function zigzag32(value: number): bigint {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) throw new RangeError(`${value} is not a 32-bit integer`);
  return BigInt(((value << 1) ^ (value >> 31)) >>> 0);
}

function zigzag64(value: bigint): bigint {
  if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new RangeError(`${value} is not a 64-bit integer`);
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}
