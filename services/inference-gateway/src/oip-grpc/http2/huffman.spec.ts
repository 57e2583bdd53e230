import { decodeHuffman, huffmanDecodedBound } from './huffman';
import { HUFFMAN_CODE_LENGTHS, HUFFMAN_CODES } from './huffman-code';

/** Test-side encoder straight from the code table: the symbols, then padding (default: ones to the octet's end). */
function encode(symbols: number[], padding?: { bits: number; value: number }): Buffer {
  const bits: number[] = [];
  for (const symbol of symbols) {
    for (let i = HUFFMAN_CODE_LENGTHS[symbol] - 1; i >= 0; i--) bits.push((HUFFMAN_CODES[symbol] >>> i) & 1);
  }
  const padBits = padding?.bits ?? (8 - (bits.length % 8)) % 8;
  for (let i = padBits - 1; i >= 0; i--) bits.push(padding ? (padding.value >>> i) & 1 : 1);
  if (bits.length % 8 !== 0) throw new Error('test input must fill whole octets');
  const out = Buffer.alloc(bits.length / 8);
  bits.forEach((bit, i) => (out[i >> 3] |= bit << (7 - (i & 7))));
  return out;
}

function decode(input: Buffer): string | null {
  const out = Buffer.alloc(huffmanDecodedBound(input.length));
  const length = decodeHuffman(input, 0, input.length, out);
  return length < 0 ? null : out.toString('latin1', 0, length);
}

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');
const ascii = (text: string) => [...Buffer.from(text, 'latin1')];

describe('HPACK Huffman decoding (RFC 7541 section 5.2, Appendix B)', () => {
  it.each([
    ['www.example.com', 'f1e3 c2e5 f23a 6ba0 ab90 f4ff'],
    ['no-cache', 'a8eb 1064 9cbf'],
    ['custom-key', '25a8 49e9 5ba9 7d7f'],
    ['custom-value', '25a8 49e9 5bb8 e8b4 bf'],
    ['302', '6402'],
    ['private', 'aec3 771a 4b'],
    ['Mon, 21 Oct 2013 20:13:21 GMT', 'd07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff'],
    ['https://www.example.com', '9d29 ad17 1863 c78f 0b97 c8e9 ae82 ae43 d3'],
    ['gzip', '9bd9 ab'],
    ['foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1', '94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07'],
  ])('decodes the Appendix C string %p', (text, encoded) => {
    expect(decode(hex(encoded))).toBe(text);
  });

  it('decodes every octet value, codes of 5 to 30 bits, in one string', () => {
    const all = Array.from({ length: 256 }, (_, i) => i);
    expect([...Buffer.from(decode(encode(all)) as string, 'latin1')]).toEqual(all);
  });

  it('decodes the empty string and a string that fills its last octet exactly (no padding)', () => {
    expect(decode(Buffer.alloc(0))).toBe('');
    // '0' is 00000: eight of them are 40 bits.
    expect(decode(encode(ascii('00000000'), { bits: 0, value: 0 }))).toBe('00000000');
  });

  it('accepts up to 7 bits of padding and refuses 8 or more', () => {
    // 'a' is 5 bits: five of them end 1 bit into their fourth octet, so 7 bits of padding fill it.
    expect(HUFFMAN_CODE_LENGTHS[0x61]).toBe(5);
    expect(decode(encode(ascii('aaaaa'), { bits: 7, value: 0x7f }))).toBe('aaaaa');
    expect(decode(encode(ascii('a'), { bits: 3, value: 0b111 }))).toBe('a');
    expect(decode(encode(ascii('a'), { bits: 11, value: 0x7ff }))).toBeNull();
    expect(decode(Buffer.concat([encode(ascii('ab')), Buffer.of(0xff)]))).toBeNull();
    expect(decode(Buffer.concat([encode(ascii('00000000'), { bits: 0, value: 0 }), Buffer.of(0xff)]))).toBeNull();
  });

  it('refuses padding that is not the most significant bits of EOS (all ones)', () => {
    expect(decode(encode(ascii('a'), { bits: 3, value: 0b101 }))).toBeNull();
    expect(decode(encode(ascii('a'), { bits: 3, value: 0b011 }))).toBeNull();
  });

  it('refuses an EOS symbol inside the string', () => {
    expect(decode(encode([0x61, 256, 0x61]))).toBeNull();
    expect(decode(encode([256]))).toBeNull();
  });

  it('decodes from an offset into a larger buffer and bounds its output', () => {
    const encoded = hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff');
    const framed = Buffer.concat([Buffer.of(1, 2, 3), encoded, Buffer.of(4)]);
    const out = Buffer.alloc(huffmanDecodedBound(encoded.length));
    expect(out.toString('latin1', 0, decodeHuffman(framed, 3, 3 + encoded.length, out))).toBe('www.example.com');
    expect(huffmanDecodedBound(5)).toBe(8);
  });
});
