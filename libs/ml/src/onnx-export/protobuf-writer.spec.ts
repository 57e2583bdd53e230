import { readFields } from '../protobuf-wire-reader';
import { ProtobufWriter } from './protobuf-writer';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ProtobufWriter', () => {
  it('encodes varints with their tag', () => {
    expect(hex(new ProtobufWriter().varint(1, 300).finish())).toBe('08ac02');
    expect(hex(new ProtobufWriter().varint(2, 0).finish())).toBe('1000');
  });

  it('encodes a negative int64 as ten bytes of two complement', () => {
    expect(hex(new ProtobufWriter().varint(1, -1).finish())).toBe('08ffffffffffffffffff01');
  });

  it('encodes floats little-endian with wire type 5', () => {
    expect(hex(new ProtobufWriter().float(2, 1.5).finish())).toBe('150000c03f');
  });

  it('packs repeated scalars into one length-delimited field', () => {
    expect(hex(new ProtobufWriter().packedVarints(3, [1, 300]).finish())).toBe('1a0301ac02');
    expect(hex(new ProtobufWriter().packedFloats(4, [1]).finish())).toBe('22040000803f');
  });

  it('writes nested messages and strings that the wire reader reads back', () => {
    const bytes = new ProtobufWriter()
      .string(2, 'mlops')
      .message(7, (inner) => inner.varint(1, 42).string(2, 'graph'))
      .finish();
    const fields = [...readFields(bytes)];
    expect(fields.map((f) => f.fieldNumber)).toEqual([2, 7]);
    expect(Buffer.from(fields[0].value as Uint8Array).toString()).toBe('mlops');
    const inner = [...readFields(fields[1].value as Uint8Array)];
    expect(inner[0]).toEqual({ fieldNumber: 1, wireType: 0, value: 42n });
    expect(Buffer.from(inner[1].value as Uint8Array).toString()).toBe('graph');
  });

  it('refuses a varint beyond the safe integers', () => {
    expect(() => new ProtobufWriter().varint(1, 2 ** 60)).toThrow(RangeError);
  });
});
