/** Minimal protobuf wire-format reader: enough to walk an ONNX ModelProto's top-level fields without a schema. */
export type WireValue = { fieldNumber: number; wireType: 0; value: bigint } | { fieldNumber: number; wireType: 2; value: Uint8Array };

export class ProtobufWireError extends Error {}

function readVarint(bytes: Uint8Array, offset: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  let pos = offset;
  for (;;) {
    if (pos >= bytes.length) throw new ProtobufWireError(`truncated varint at byte ${offset}`);
    const byte = bytes[pos++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new ProtobufWireError(`varint longer than 10 bytes at byte ${offset}`);
  }
}

/** Yields varint and length-delimited fields; fixed-width fields are skipped since ModelProto has none we read. */
export function* readFields(bytes: Uint8Array): Generator<WireValue> {
  let pos = 0;
  while (pos < bytes.length) {
    const [tag, afterTag] = readVarint(bytes, pos);
    const fieldNumber = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (fieldNumber === 0) throw new ProtobufWireError(`field number 0 at byte ${pos}`);
    pos = afterTag;
    if (wireType === 0) {
      const [value, next] = readVarint(bytes, pos);
      pos = next;
      yield { fieldNumber, wireType: 0, value };
    } else if (wireType === 2) {
      const [length, next] = readVarint(bytes, pos);
      const end = next + Number(length);
      if (end > bytes.length) throw new ProtobufWireError(`field ${fieldNumber} runs past the end of the buffer`);
      yield { fieldNumber, wireType: 2, value: bytes.subarray(next, end) };
      pos = end;
    } else if (wireType === 1) {
      pos += 8;
    } else if (wireType === 5) {
      pos += 4;
    } else {
      throw new ProtobufWireError(`unsupported wire type ${wireType} at byte ${pos}`);
    }
    if (pos > bytes.length) throw new ProtobufWireError('truncated fixed-width field');
  }
}
