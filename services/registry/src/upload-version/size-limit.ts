import { Transform, TransformCallback } from 'node:stream';
import { ObjectTooLargeError } from '@mlops/storage';

/** Fails as soon as more than `maxBytes` have passed, so an oversized upload is cut off while it streams. */
export class SizeLimit extends Transform {
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) done(new ObjectTooLargeError(this.maxBytes));
    else done(null, chunk);
  }
}
