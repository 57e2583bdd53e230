import { createHash } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HashingStream } from './hashing-stream';
import { IntegrityError, ObjectTooLargeError } from './storage-errors';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('HashingStream', () => {
  const body = Buffer.from('a'.repeat(1000) + 'b'.repeat(1000));
  const chunks = () => Readable.from([body.subarray(0, 700), body.subarray(700, 1500), body.subarray(1500)]);

  it('passes the bytes through unchanged, counting and hashing them', async () => {
    const hasher = new HashingStream();
    const passed = await drain(chunks().pipe(hasher));
    expect(passed.equals(body)).toBe(true);
    expect(hasher.sizeBytes).toBe(body.length);
    expect(hasher.sha256).toBe(sha256(body));
  });

  it('has no hash before the end', () => {
    expect(() => new HashingStream().sha256).toThrow('the sha256 is known only once the stream has ended');
  });

  it('accepts a body of exactly maxBytes', async () => {
    const hasher = new HashingStream({ maxBytes: body.length });
    await drain(chunks().pipe(hasher));
    expect(hasher.sizeBytes).toBe(body.length);
  });

  it('fails with ObjectTooLargeError once more than maxBytes pass', async () => {
    const hasher = new HashingStream({ maxBytes: body.length - 1 });
    const failure = drain(chunks().pipe(hasher));
    await expect(failure).rejects.toBeInstanceOf(ObjectTooLargeError);
    await expect(failure).rejects.toMatchObject({ limitBytes: body.length - 1 });
  });

  it('ends cleanly when the expected hash matches', async () => {
    const hasher = new HashingStream({ expect: { uri: 's3://b/k', sha256: sha256(body).toUpperCase() } });
    expect((await drain(chunks().pipe(hasher))).equals(body)).toBe(true);
  });

  it('fails with IntegrityError at the end when the expected hash differs', async () => {
    const expected = sha256(Buffer.from('something else'));
    const hasher = new HashingStream({ expect: { uri: 's3://b/k', sha256: expected } });
    const failure = pipeline(chunks(), hasher, new PassThrough().resume());
    await expect(failure).rejects.toBeInstanceOf(IntegrityError);
    await expect(failure).rejects.toMatchObject({ uri: 's3://b/k', expected, actual: sha256(body) });
  });

  it('destroys what it is piped into with its error, even when the error came first', async () => {
    const destinationError = (hasher: HashingStream) =>
      new Promise<Error>((resolve) => {
        const destination = new Writable({ write: (_c, _e, done) => done() });
        destination.on('error', resolve);
        hasher.pipe(destination);
      });
    const late = new HashingStream({ maxBytes: 10 });
    const lateError = destinationError(late);
    late.write(body);
    expect(await lateError).toBeInstanceOf(ObjectTooLargeError);

    const early = new HashingStream({ maxBytes: 10 });
    early.on('error', () => undefined);
    early.write(body);
    await new Promise((resolve) => setImmediate(resolve));
    expect(early.errored).toBeInstanceOf(ObjectTooLargeError);
    expect(await destinationError(early)).toBeInstanceOf(ObjectTooLargeError);
  });
});
