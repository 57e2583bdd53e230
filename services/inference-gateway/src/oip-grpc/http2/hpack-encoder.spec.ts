import { HeaderList, HpackDecoder } from './hpack-decoder';
import { encodeHeaderBlock } from './hpack-encoder';

function decode(block: Buffer, decoder = new HpackDecoder(4096, 65536)): [string, string][] {
  const list = new HeaderList();
  decoder.decode(block, 0, block.length, list);
  return list.names.slice(0, list.length).map((name, i) => [name, list.values[i]]);
}

describe('HPACK encoding of our responses', () => {
  it('indexes exact static pairs, names static names, and writes the rest as raw literals without indexing', () => {
    const block = encodeHeaderBlock([
      [':status', '200'],
      ['content-type', 'application/grpc+proto'],
      ['grpc-status', '0'],
    ]);
    const contentType = Buffer.from('application/grpc+proto');
    expect(block).toEqual(Buffer.from([0x88, 0x0f, 0x10, contentType.length, ...contentType, 0x00, 11, ...Buffer.from('grpc-status'), 1, 0x30]));
  });

  it('round-trips through a decoder without touching its dynamic table', () => {
    const fields: [string, string][] = [
      [':status', '415'],
      ['date', 'Thu, 03 Dec 2026 09:15:08 GMT'],
      ['grpc-message', 'x'.repeat(5000)],
      ['accept-encoding', 'gzip, deflate'],
      ['x-empty', ''],
    ];
    const decoder = new HpackDecoder(4096, 65536);
    expect(decode(encodeHeaderBlock(fields), decoder)).toEqual(fields);
    // Index 62 would be the first dynamic entry: there is none.
    expect(() => decode(Buffer.of(0xbe), decoder)).toThrow();
  });

  it('encodes lengths past the 7-bit prefix with continuation octets', () => {
    const value = 'v'.repeat(127 + 300);
    const block = encodeHeaderBlock([['x-long', value]]);
    expect([...block.subarray(8, 11)]).toEqual([0x7f, 0xac, 0x02]);
    expect(decode(block)).toEqual([['x-long', value]]);
  });
});
