import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { IntegrityError, ObjectTooLargeError } from './storage-errors';

export interface HashingStreamOptions {
  /** Fail with ObjectTooLargeError as soon as more bytes than this pass. */
  maxBytes?: number;
  /** Fail with IntegrityError at the end when the bytes that passed do not have this hash. */
  expect?: { uri: string; sha256: string };
}

/**
 * Passes bytes through unchanged while hashing (sha256) and counting them, so an object is hashed on its way to or
 * from storage without ever being held whole in memory.
 */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private digest?: string;

  constructor(private readonly options: HashingStreamOptions = {}) {
    super();
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** The hex sha256 of everything that passed; known once the stream has ended. */
  get sha256(): string {
    if (this.digest === undefined) throw new Error('the sha256 is known only once the stream has ended');
    return this.digest;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const { maxBytes } = this.options;
    if (maxBytes !== undefined && this.bytes > maxBytes) {
      done(new ObjectTooLargeError(maxBytes));
      return;
    }
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.digest = this.hash.digest('hex');
    const { expect } = this.options;
    if (expect && expect.sha256.toLowerCase() !== this.digest) {
      done(new IntegrityError(expect.uri, expect.sha256, this.digest));
      return;
    }
    done();
  }

  /**
   * pipe() does not pass a source's error on, so a destination would wait for an end that never comes (minio's
   * upload would hang on its part chunker). Whatever this stream is piped into is destroyed with its error.
   */
  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    const fail = (err: Error) => {
      if ('destroy' in destination && typeof destination.destroy === 'function') destination.destroy(err);
    };
    if (this.errored) fail(this.errored);
    else this.once('error', fail);
    return super.pipe(destination, options);
  }
}
