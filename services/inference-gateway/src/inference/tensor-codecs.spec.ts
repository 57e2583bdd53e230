import { decodeJsonData, encodeJsonData, jsonDataText } from './json-tensor-codec';
import { decodeRaw, encodeRaw } from './raw-tensor-codec';
import type { OipDatatype, TensorValues } from './datatypes';

describe('JSON tensor data', () => {
  it('accepts nested and flat data alike, row-major', () => {
    const nested = decodeJsonData("input 'X'", 'X', 'FP32', [2, 2], [[1, 2], [3, 4]]);
    const flat = decodeJsonData("input 'X'", 'X', 'FP32', [2, 2], [1, 2, 3, 4]);
    expect(Array.from(nested.values as Float32Array)).toEqual([1, 2, 3, 4]);
    expect(flat.values).toEqual(nested.values);
  });

  it('names the tensor, the element and the expectation when an element does not fit', () => {
    expect(() => decodeJsonData("input 'n'", 'n', 'INT32', [2], [1, 1.5])).toThrow("input 'n': element 1 is 1.5, expected an integer in [-2147483648, 2147483647] for datatype INT32");
    expect(() => decodeJsonData("input 'b'", 'b', 'BOOL', [1], [1])).toThrow("input 'b': element 0 is 1, expected true or false");
    expect(() => decodeJsonData("input 's'", 's', 'BYTES', [1], [3])).toThrow("input 's': element 0 is 3, expected a string");
    expect(() => decodeJsonData("input 'X'", 'X', 'FP64', [3], [1, 2])).toThrow("input 'X': shape [3] needs 3 elements, data has 2");
    expect(() => decodeJsonData("input 'X'", 'X', 'FP64', [1], 'abc')).toThrow("input 'X': data must be an array");
  });

  it('encodes INT64 as numbers and BOOL as booleans', () => {
    expect(encodeJsonData('INT64', BigInt64Array.from([3n, -1n]))).toEqual([3, -1]);
    expect(encodeJsonData('BOOL', Uint8Array.from([1, 0]))).toEqual([true, false]);
  });

  it('writes the JSON text of the encoded values directly, the same bytes as JSON.stringify of them', () => {
    const cases: [OipDatatype, TensorValues][] = [
      ['INT64', BigInt64Array.from([0n, 7n, -3n, 9007199254740991n, -9007199254740991n])],
      // Beyond 2^53 a JSON number is the nearest double, as encodeJsonData makes it.
      ['INT64', BigInt64Array.from([1n, 9007199254740993n, -9223372036854775808n])],
      ['FP32', Float32Array.from([0.1, -2.5, 1e-7])],
      ['FP64', Float64Array.from([1, Number.NaN, Infinity])],
      ['BOOL', Uint8Array.from([1, 0, 1])],
      ['INT32', Int32Array.from([-1, 2147483647])],
      ['BYTES', ['a', 'b"c']],
    ];
    for (const [datatype, values] of cases) expect(jsonDataText(datatype, values)).toBe(JSON.stringify(encodeJsonData(datatype, values)));
    expect(jsonDataText('INT64', BigInt64Array.from([9007199254740993n]))).toBe('[9007199254740992]');
  });
});

describe('raw tensor data', () => {
  it('round-trips fixed-size types from unaligned buffers', () => {
    const bytes = Buffer.concat([Buffer.from([9]), encodeRaw('FP64', Float64Array.from([1.5, -2]))]).subarray(1);
    const tensor = decodeRaw("input 'x'", 'x', 'FP64', [2], bytes);
    expect(Array.from(tensor.values as Float64Array)).toEqual([1.5, -2]);
  });

  it('round-trips length-prefixed BYTES and refuses a truncated one', () => {
    const bytes = encodeRaw('BYTES', ['héllo', '']);
    expect(decodeRaw("input 's'", 's', 'BYTES', [2], bytes).values).toEqual(['héllo', '']);
    expect(() => decodeRaw("input 's'", 's', 'BYTES', [2], bytes.subarray(0, 6))).toThrow("input 's': raw BYTES element 0 runs past the end of the data");
    expect(() => decodeRaw("input 's'", 's', 'BYTES', [3], bytes)).toThrow('shape needs 3 BYTES elements, raw data holds 2');
  });

  it('refuses a byte count that does not match the shape', () => {
    expect(() => decodeRaw("input 'X'", 'X', 'FP32', [1, 2], Buffer.alloc(4))).toThrow("input 'X': shape [1,2] of FP32 needs 8 raw bytes, got 4");
  });
});
