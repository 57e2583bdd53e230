import { ThriftCompactWriter } from './thrift-compact-writer';

// Expected bytes worked out by hand from the Thrift compact protocol specification.
const hex = (w: ThriftCompactWriter) => w.bytes().toString('hex');

describe('ThriftCompactWriter', () => {
  it('writes short field headers as (id delta << 4) | type and ends a struct with a stop byte', () => {
    // field 1 i32 (type 5) = 1 -> zigzag 2; field 2 i32 = -1 -> zigzag 1
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i32(1, 1).i32(2, -1)))).toBe('1502' + '1501' + '00');
  });

  it('writes the long field header form when the id jumps by more than 15', () => {
    // field 1, then field 17: delta 16 -> type byte 0x05 then the id as a zigzag varint (34 = 0x22)
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i32(1, 0).i32(17, 3)))).toBe('1500' + '05' + '22' + '06' + '00');
  });

  it('encodes i64 as zigzag varints, including both ends of the range', () => {
    // 300 -> zigzag 600 = 0b100_1011000 -> d8 04
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i64(1, 300)))).toBe('16d80400');
    // -2^63 -> zigzag 2^64-1: nine bytes of 0xff then 0x01 (ten 7-bit groups)
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i64(1, -(2n ** 63n))))).toBe('16' + 'ff'.repeat(9) + '01' + '00');
    // 2^63-1 -> zigzag 2^64-2
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i64(1, 2n ** 63n - 1n)))).toBe('16fe' + 'ff'.repeat(8) + '01' + '00');
    expect(() => new ThriftCompactWriter().i64(1, 2n ** 63n)).toThrow(RangeError);
  });

  it('folds a boolean into its field header and writes binaries with a varint length', () => {
    // bool true = type 1, false = type 2; binary = type 8
    expect(hex(new ThriftCompactWriter().structValue((w) => w.bool(1, true).bool(2, false).binary(4, 'ab')))).toBe('11' + '12' + '28026162' + '00');
    expect(hex(new ThriftCompactWriter().structValue((w) => w.binary(1, 'é')))).toBe('1802c3a900');
  });

  it('restarts field ids inside a nested struct and resumes the outer ones after it', () => {
    // field 3 struct (type 12) { field 1 i32 7 } then outer field 4 i32 0: delta 1 from 3
    expect(hex(new ThriftCompactWriter().structValue((w) => w.struct(3, (s) => s.i32(1, 7)).i32(4, 0)))).toBe('3c' + '150e' + '00' + '1500' + '00');
  });

  it('writes list headers with the size in the high nibble below 15 and as a varint from 15 on', () => {
    // field 2 list (type 9) of 2 i32: 0x25 | elements 0x29 | zigzag 0, 3 -> 00 06
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i32List(2, [0, 3])))).toBe('29' + '25' + '0006' + '00');
    const fifteen = Array.from({ length: 15 }, () => 1);
    expect(hex(new ThriftCompactWriter().structValue((w) => w.i32List(1, fifteen)))).toBe('19' + 'f5' + '0f' + '02'.repeat(15) + '00');
    // list of 1 binary (type 8) and list of 2 structs (type 12), each struct with its own stop byte
    expect(hex(new ThriftCompactWriter().structValue((w) => w.binaryList(1, ['x'])))).toBe('19' + '18' + '0178' + '00');
    expect(hex(new ThriftCompactWriter().structValue((w) => w.structList(1, [1, 2], (s, v) => s.i32(1, v))))).toBe('19' + '2c' + '150200' + '150400' + '00');
  });

  it('refuses an i32 outside 32 bits', () => {
    expect(() => new ThriftCompactWriter().i32(1, 2 ** 31)).toThrow(RangeError);
  });
});
