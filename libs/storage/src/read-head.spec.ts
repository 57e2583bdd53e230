import { PassThrough, Readable } from 'node:stream';
import { readHead } from './read-head';

async function rest(stream: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += chunk;
  return text;
}

describe('readHead', () => {
  it('reads a stream shorter than the limit to its end', async () => {
    expect(await readHead(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 10)).toEqual({
      head: Buffer.from('abcd'),
      ended: true,
    });
  });

  it('reads an empty stream as an empty, ended head', async () => {
    expect(await readHead(Readable.from([]), 10)).toEqual({ head: Buffer.alloc(0), ended: true });
  });

  it('stops at the limit, leaving the rest to read after the head is put back', async () => {
    const stream = new PassThrough();
    stream.write('0123456789');
    const { head, ended } = await readHead(stream, 4);
    expect(ended).toBe(false);
    expect(head.length).toBeGreaterThanOrEqual(4);
    stream.unshift(head);
    stream.end('abc');
    expect(await rest(stream)).toBe('0123456789abc');
  });

  it('rejects with the error of the stream', async () => {
    const stream = new PassThrough();
    const head = readHead(stream, 100);
    stream.destroy(new Error('broken'));
    await expect(head).rejects.toThrow('broken');
  });
});
