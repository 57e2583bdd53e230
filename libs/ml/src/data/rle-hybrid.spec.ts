import { encodeRleHybrid } from './rle-hybrid';

// Expected bytes worked out by hand from the RLE / bit-packing hybrid of the Parquet encodings specification.
const hex = (values: number[], bitWidth = 1) => encodeRleHybrid(values, values.length, bitWidth).toString('hex');

describe('encodeRleHybrid', () => {
  it('writes a run of one value as a repeated run: varint(count << 1) then the value in one byte', () => {
    // 100 << 1 = 200 -> varint c8 01
    expect(hex(Array(100).fill(1))).toBe('c80101');
    expect(hex(Array(8).fill(0))).toBe('1000');
  });

  it('bit-packs mixed values in groups of 8, least significant bit first, and pads the last group', () => {
    // one group: header (1 << 1) | 1 = 03; bits 1,0,1,1,0,0,0,1 -> 0b10001101 = 8d
    expect(hex([1, 0, 1, 1, 0, 0, 0, 1])).toBe('038d');
    // three values padded to a group of 8: 1,1,0 -> 0b011
    expect(hex([1, 1, 0])).toBe('0303');
  });

  it('packs wider values across byte boundaries', () => {
    // bit width 3, values 0..7 (the example of the specification): 10001000 11000110 11111010
    expect(hex([0, 1, 2, 3, 4, 5, 6, 7], 3)).toBe('0388c6fa');
  });

  it('switches from bit-packing to a repeated run at a group boundary', () => {
    // 8 mixed values, then 20 ones: one packed group (03 55), then a run of 20 (28 01)
    const values = [1, 0, 1, 0, 1, 0, 1, 0, ...Array(20).fill(1)];
    expect(hex(values)).toBe('0355' + '2801');
    // a run of ones starting mid-group stays packed up to the boundary: 4 zeros + 4 ones packed (f0), 16 ones after
    expect(hex([0, 0, 0, 0, ...Array(20).fill(1)])).toBe('03f0' + '2001');
  });

  it('keeps short runs inside bit-packed data', () => {
    // 0,1 alternating, 8 zeros (fewer than 16), a last 1: three groups under one header (3 << 1) | 1 = 07
    const values = [0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    expect(hex(values)).toBe('07' + 'aa' + '00' + '01');
  });

  it('encodes nothing for no values', () => {
    expect(hex([])).toBe('');
  });
});
