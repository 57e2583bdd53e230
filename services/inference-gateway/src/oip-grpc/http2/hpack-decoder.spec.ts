import { HeaderList, HpackDecoder, HpackError } from './hpack-decoder';

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ''), 'hex');

/** RFC 7541 section 5.1, test side: `high` is the representation's pattern above the prefix. */
function integer(high: number, prefixBits: number, value: number): number[] {
  const max = (1 << prefixBits) - 1;
  if (value < max) return [high | value];
  const out = [high | max];
  let rest = value - max;
  for (; rest >= 128; rest >>= 7) out.push((rest & 0x7f) | 0x80);
  out.push(rest);
  return out;
}
const raw = (text: string) => [...integer(0, 7, text.length), ...Buffer.from(text, 'latin1')];
/** Literal with incremental indexing (0x40) or without (0x00), both name and value as raw strings. */
const literal = (name: string, value: string, high = 0x40) => [high, ...raw(name), ...raw(value)];

function decodeList(decoder: HpackDecoder, block: Buffer | number[]): [string, string][] {
  const bytes = Buffer.isBuffer(block) ? block : Buffer.from(block);
  const list = new HeaderList();
  decoder.decode(bytes, 0, bytes.length, list);
  return list.names.slice(0, list.length).map((name, i) => [name, list.values[i]]);
}

/** The dynamic table, newest first, read through indexed references (which change nothing) until one fails. */
function dynamicTable(decoder: HpackDecoder): { entries: [string, string][]; size: number } {
  const entries: [string, string][] = [];
  for (let index = 62; ; index++) {
    try {
      entries.push(decodeList(decoder, integer(0x80, 7, index))[0]);
    } catch (err) {
      expect(err).toBeInstanceOf(HpackError);
      break;
    }
  }
  return { entries, size: entries.reduce((sum, [name, value]) => sum + name.length + value.length + 32, 0) };
}

interface Step {
  block: string;
  fields: [string, string][];
  table: [string, string][];
  size: number;
}

function runSeries(limit: number, steps: Step[]): void {
  const decoder = new HpackDecoder(limit, 65536);
  for (const step of steps) {
    expect(decodeList(decoder, hex(step.block))).toEqual(step.fields);
    expect(dynamicTable(decoder)).toEqual({ entries: step.table, size: step.size });
  }
}

const AUTHORITY: [string, string] = [':authority', 'www.example.com'];
const NO_CACHE: [string, string] = ['cache-control', 'no-cache'];
const CUSTOM: [string, string] = ['custom-key', 'custom-value'];
const REQUEST_FIELDS: [string, string][][] = [
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], AUTHORITY],
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], AUTHORITY, NO_CACHE],
  [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], AUTHORITY, CUSTOM],
];
const REQUEST_TABLES: Pick<Step, 'table' | 'size'>[] = [
  { table: [AUTHORITY], size: 57 },
  { table: [NO_CACHE, AUTHORITY], size: 110 },
  { table: [CUSTOM, NO_CACHE, AUTHORITY], size: 164 },
];

const DATE_21: [string, string] = ['date', 'Mon, 21 Oct 2013 20:13:21 GMT'];
const DATE_22: [string, string] = ['date', 'Mon, 21 Oct 2013 20:13:22 GMT'];
const LOCATION: [string, string] = ['location', 'https://www.example.com'];
const PRIVATE: [string, string] = ['cache-control', 'private'];
const COOKIE: [string, string] = ['set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1'];
const GZIP: [string, string] = ['content-encoding', 'gzip'];
const RESPONSE_FIELDS: [string, string][][] = [
  [[':status', '302'], PRIVATE, DATE_21, LOCATION],
  [[':status', '307'], PRIVATE, DATE_21, LOCATION],
  [[':status', '200'], PRIVATE, DATE_22, LOCATION, GZIP, COOKIE],
];
const RESPONSE_TABLES: Pick<Step, 'table' | 'size'>[] = [
  { table: [LOCATION, DATE_21, PRIVATE, [':status', '302']], size: 222 },
  // 42 more octets do not fit in 256: ':status: 302', the oldest, is evicted.
  { table: [[':status', '307'], LOCATION, DATE_21, PRIVATE], size: 222 },
  { table: [COOKIE, GZIP, DATE_22], size: 215 },
];

describe('HPACK decoding (RFC 7541)', () => {
  describe('Appendix C.2: one representation each', () => {
    it('C.2.1 literal with indexing enters the dynamic table', () => {
      runSeries(4096, [{ block: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572', fields: [['custom-key', 'custom-header']], table: [['custom-key', 'custom-header']], size: 55 }]);
    });
    it('C.2.2 literal without indexing does not', () => {
      runSeries(4096, [{ block: '040c 2f73 616d 706c 652f 7061 7468', fields: [[':path', '/sample/path']], table: [], size: 0 }]);
    });
    it('C.2.3 literal never indexed does not', () => {
      runSeries(4096, [{ block: '1008 7061 7373 776f 7264 0673 6563 7265 74', fields: [['password', 'secret']], table: [], size: 0 }]);
    });
    it('C.2.4 indexed field from the static table', () => {
      runSeries(4096, [{ block: '82', fields: [[':method', 'GET']], table: [], size: 0 }]);
    });
  });

  it('C.3 requests without Huffman coding, one decoder for the three', () => {
    const blocks = ['8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', '8286 84be 5808 6e6f 2d63 6163 6865', '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65'];
    runSeries(
      4096,
      blocks.map((block, i) => ({ block, fields: REQUEST_FIELDS[i], ...REQUEST_TABLES[i] })),
    );
  });

  it('C.4 requests with Huffman coding', () => {
    const blocks = ['8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff', '8286 84be 5886 a8eb 1064 9cbf', '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf'];
    runSeries(
      4096,
      blocks.map((block, i) => ({ block, fields: REQUEST_FIELDS[i], ...REQUEST_TABLES[i] })),
    );
  });

  it('C.5 responses without Huffman coding, table size 256, with eviction', () => {
    const blocks = [
      '4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '4803 3330 37c1 c0bf',
      '88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31',
    ];
    runSeries(
      256,
      blocks.map((block, i) => ({ block, fields: RESPONSE_FIELDS[i], ...RESPONSE_TABLES[i] })),
    );
  });

  it('C.6 responses with Huffman coding, table size 256, with eviction', () => {
    const blocks = [
      '4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3',
      '4883 640e ffc1 c0bf',
      '88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07',
    ];
    runSeries(
      256,
      blocks.map((block, i) => ({ block, fields: RESPONSE_FIELDS[i], ...RESPONSE_TABLES[i] })),
    );
  });

  describe('integers (section 5.1)', () => {
    it('reads a value one below, at and past the prefix maximum', () => {
      const decoder = new HpackDecoder(4096, 65536);
      for (const length of [126, 127, 128, 255, 300, 20000]) {
        const value = 'v'.repeat(length);
        expect(decodeList(decoder, [0x00, ...raw('x'), ...raw(value)])).toEqual([['x', value]]);
      }
      // Static name index 15 (accept-charset) is the 4-bit prefix maximum: 0f 00; 16 is 0f 01.
      expect(decodeList(decoder, [0x0f, 0x00, ...raw('a')])).toEqual([['accept-charset', 'a']]);
      expect(decodeList(decoder, [0x0f, 0x01, ...raw('b')])).toEqual([['accept-encoding', 'b']]);
    });

    it('reads 1337 with a 5-bit prefix (C.1.2: 1f 9a 0a) as a size update that holds three 400-octet entries', () => {
      const decoder = new HpackDecoder(4096, 65536);
      expect(integer(0x20, 5, 1337)).toEqual([0x3f, 0x9a, 0x0a]);
      const entry = (i: number) => literal(`x${i}`, 'v'.repeat(400 - 32 - 2));
      decodeList(decoder, [0x3f, 0x9a, 0x0a, ...entry(1), ...entry(2), ...entry(3), ...entry(4)]);
      expect(dynamicTable(decoder).entries.map(([name]) => name)).toEqual(['x4', 'x3', 'x2']);
    });

    it.each([
      ['past 2^31 - 1', 'ff ff ff ff ff 0f'],
      ['longer than 5 continuation octets', 'ff 80 80 80 80 80 00'],
      ['cut off by the end of the block', 'ff 80'],
    ])('refuses an integer %s', (_, block) => {
      expect(() => decodeList(new HpackDecoder(4096, 65536), hex(block))).toThrow(HpackError);
    });
  });

  describe('decoding errors (COMPRESSION_ERROR)', () => {
    it.each([
      ['index 0', '80'],
      ['an index past the dynamic table', 'be'],
      ['a name index past the dynamic table', '7e 01 61'],
      ['a string running past the block', '40 0a 63 75'],
      ['a block ending before the value', '40 01 61'],
      ['a Huffman string with 8 bits of padding', '00 01 61 81 ff'],
      ['a dynamic table size update above our limit', '3f e2 1f'],
      ['a dynamic table size update after a field', '82 20'],
    ])('%s', (_, block) => {
      expect(() => decodeList(new HpackDecoder(4096, 65536), hex(block))).toThrow(HpackError);
    });
  });

  describe('the dynamic table', () => {
    it('applies a size update at the start of a block, evicting oldest first, up to the limit', () => {
      const decoder = new HpackDecoder(4096, 65536);
      for (const block of ['8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d', '8286 84be 5808 6e6f 2d63 6163 6865', '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65']) {
        decodeList(decoder, hex(block));
      }
      expect(decodeList(decoder, [...integer(0x20, 5, 110), 0x82])).toEqual([[':method', 'GET']]);
      expect(dynamicTable(decoder)).toEqual({ entries: [CUSTOM, NO_CACHE], size: 107 });
      // Two updates in a row are allowed (section 4.2); 4096, the limit, is allowed.
      decodeList(decoder, [...integer(0x20, 5, 0), ...integer(0x20, 5, 4096)]);
      expect(dynamicTable(decoder).entries).toEqual([]);
      decodeList(decoder, literal('a', 'b'));
      expect(dynamicTable(decoder).entries).toEqual([['a', 'b']]);
    });

    it('empties itself for an entry larger than the whole table, which is not added (section 4.4)', () => {
      const decoder = new HpackDecoder(256, 65536);
      decodeList(decoder, literal('a', 'b'));
      const big = 'v'.repeat(300);
      expect(decodeList(decoder, literal('big', big))).toEqual([['big', big]]);
      expect(dynamicTable(decoder).entries).toEqual([]);
    });

    it('keeps the name of an entry evicted by the insertion that references it', () => {
      const decoder = new HpackDecoder(64, 65536);
      decodeList(decoder, literal('name', 'value-1'));
      // Name index 62 is 'name' itself, evicted to make room for the new entry.
      expect(decodeList(decoder, [0x7e, ...raw('value-2')])).toEqual([['name', 'value-2']]);
      expect(dynamicTable(decoder).entries).toEqual([['name', 'value-2']]);
    });

    it('wraps around its ring many times over', () => {
      const decoder = new HpackDecoder(4096, 65536);
      for (let i = 0; i < 1000; i++) decodeList(decoder, literal('grpc-timeout', `${i}u`));
      const { entries, size } = dynamicTable(decoder);
      expect(entries[0]).toEqual(['grpc-timeout', '999u']);
      expect(size).toBeLessThanOrEqual(4096);
      expect(size + 48).toBeGreaterThan(4096);
    });
  });

  describe('the header list', () => {
    it('past its size limit is flagged; later fields are still applied to the dynamic table', () => {
      const decoder = new HpackDecoder(4096, 100);
      const list = new HeaderList();
      const block = Buffer.from([...literal('a', 'x'.repeat(40)), ...literal('b', 'y'.repeat(40)), ...literal('c', 'z')]);
      decoder.decode(block, 0, block.length, list);
      expect([list.tooLarge, list.length, list.names[0]]).toEqual([true, 1, 'a']);
      expect(dynamicTable(decoder).entries.map(([name]) => name)).toEqual(['c', 'b', 'a']);
      decoder.decode(Buffer.of(0x82), 0, 1, list);
      expect([list.tooLarge, list.length, list.size]).toEqual([false, 1, 42]);
    });

    it('is malformed with a forbidden octet in a name or value, also when the field is referenced later', () => {
      const decoder = new HpackDecoder(4096, 65536);
      const malformed = (block: number[]) => {
        const list = new HeaderList();
        decoder.decode(Buffer.from(block), 0, block.length, list);
        return list.malformed;
      };
      expect(malformed(literal('x-fine', 'a b'))).toBe(false);
      expect(malformed(literal('X-Upper', 'v'))).toBe(true);
      // 62 is the newest entry (X-Upper), 63 the one before (x-fine).
      expect(malformed([0xbe])).toBe(true);
      expect(malformed([0xbf])).toBe(false);
      expect(malformed(literal('x-cr', 'a\rb', 0x00))).toBe(true);
      expect(malformed(literal('x-lf', 'a\nb', 0x00))).toBe(true);
      expect(malformed(literal('x-nul', 'a\0b', 0x00))).toBe(true);
      expect(malformed(literal('x-lead', ' a', 0x00))).toBe(true);
      expect(malformed(literal('x-trail', 'a\t', 0x00))).toBe(true);
      expect(malformed(literal('x sp', 'v', 0x00))).toBe(true);
      expect(malformed(literal('', 'v', 0x00))).toBe(true);
      expect(malformed([0x0f, 0x10, ...raw('bad\r')])).toBe(true);
      expect(malformed([0x82, 0x84])).toBe(false);
    });
  });
});
