import { STATIC_TABLE } from './hpack-static-table';

/** HPACK index of each exact static (name, value) pair, keyed "name\0value", and of each name's first entry. */
const STATIC_PAIRS = new Map<string, number>();
const STATIC_NAMES = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  STATIC_PAIRS.set(`${name}\0${value}`, i + 1);
  if (!STATIC_NAMES.has(name)) STATIC_NAMES.set(name, i + 1);
});

/**
 * One header block, encoded without state: a static-table pair by its index, anything else as a literal without
 * indexing (its name by static index where there is one), raw strings. Our responses are a handful of short fields,
 * mostly constant and encoded once, so the dynamic table and Huffman coding would save the peer little and cost us
 * per call; and with no dynamic table the peer's SETTINGS_HEADER_TABLE_SIZE cannot make our blocks wrong.
 */
export function encodeHeaderBlock(fields: readonly (readonly [name: string, value: string])[]): Buffer {
  let bound = 0;
  for (const [name, value] of fields) bound += name.length + value.length + 16;
  const out = Buffer.allocUnsafe(bound);
  let pos = 0;
  for (const [name, value] of fields) {
    const pair = STATIC_PAIRS.get(`${name}\0${value}`);
    if (pair !== undefined) {
      pos = writeInteger(out, pos, 0x80, 7, pair);
      continue;
    }
    const nameIndex = STATIC_NAMES.get(name);
    if (nameIndex !== undefined) {
      pos = writeInteger(out, pos, 0x00, 4, nameIndex);
    } else {
      out[pos++] = 0x00;
      pos = writeString(out, pos, name);
    }
    pos = writeString(out, pos, value);
  }
  return out.subarray(0, pos);
}

/** RFC 7541 section 5.1, `high` holding the representation's pattern bits above the prefix. */
function writeInteger(out: Buffer, pos: number, high: number, prefixBits: number, value: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[pos++] = high | value;
    return pos;
  }
  out[pos++] = high | max;
  let rest = value - max;
  while (rest >= 0x80) {
    out[pos++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[pos++] = rest;
  return pos;
}

function writeString(out: Buffer, pos: number, text: string): number {
  pos = writeInteger(out, pos, 0x00, 7, text.length);
  return pos + out.write(text, pos, 'latin1');
}
