import { HUFFMAN_CODE_LENGTHS, HUFFMAN_CODES } from './huffman-code';

const EOS = 256;
const NO_SYMBOL = -1;
const FAILED = -2;

/**
 * The code as a state machine over 4-bit input: a state is an inner node of the code tree (0 is the root), and
 * each (state, nibble) gives the next state and the symbol completed on the way, if any. No code is shorter than
 * 5 bits, so one nibble completes at most one symbol; decoding is two table steps per input octet.
 */
const NEXT = new Uint8Array(256 * 16);
const EMIT = new Int16Array(256 * 16);
/** States an input may end in: the root, or up to 7 bits down the all-ones path (the EOS prefix used as padding). */
const ACCEPTING = new Uint8Array(256);

buildDecoder();

function buildDecoder(): void {
  // Children of inner node n at 2n (bit 0) and 2n + 1 (bit 1): a non-negative inner node, or -(symbol + 1) for a leaf.
  const children = new Int32Array(2 * 256);
  let inner = 1;
  for (let symbol = 0; symbol <= EOS; symbol++) {
    const code = HUFFMAN_CODES[symbol];
    const length = HUFFMAN_CODE_LENGTHS[symbol];
    let node = 0;
    for (let bit = length - 1; bit > 0; bit--) {
      const slot = 2 * node + ((code >>> bit) & 1);
      if (children[slot] === 0) children[slot] = inner++;
      node = children[slot];
    }
    children[2 * node + (code & 1)] = -(symbol + 1);
  }
  let padding = 0;
  ACCEPTING[0] = 1;
  for (let depth = 1; depth <= 7; depth++) {
    padding = children[2 * padding + 1];
    ACCEPTING[padding] = 1;
  }
  for (let state = 0; state < 256; state++) {
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let emit = NO_SYMBOL;
      for (let bit = 3; bit >= 0; bit--) {
        const child = children[2 * node + ((nibble >>> bit) & 1)];
        if (child >= 0) {
          node = child;
          continue;
        }
        const symbol = -child - 1;
        emit = symbol === EOS ? FAILED : symbol;
        node = 0;
        if (emit === FAILED) break;
      }
      NEXT[state * 16 + nibble] = node;
      EMIT[state * 16 + nibble] = emit;
    }
  }
}

/** The most octets `encodedLength` octets of Huffman code can decode to (the shortest code is 5 bits). */
export function huffmanDecodedBound(encodedLength: number): number {
  return Math.floor((encodedLength * 8) / 5);
}

/**
 * Decodes src[start, end) into out from 0; the decoded length, or -1 when the input is not a valid HPACK string
 * (EOS inside it, or padding longer than 7 bits or not all ones: RFC 7541 section 5.2).
 */
export function decodeHuffman(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let state = 0;
  let length = 0;
  for (let i = start; i < end; i++) {
    const octet = src[i];
    let step = state * 16 + (octet >>> 4);
    let emit = EMIT[step];
    if (emit !== NO_SYMBOL) {
      if (emit === FAILED) return -1;
      out[length++] = emit;
    }
    state = NEXT[step];
    step = state * 16 + (octet & 0x0f);
    emit = EMIT[step];
    if (emit !== NO_SYMBOL) {
      if (emit === FAILED) return -1;
      out[length++] = emit;
    }
    state = NEXT[step];
  }
  return ACCEPTING[state] === 1 ? length : -1;
}
