import { Readable } from 'node:stream';

export interface Head {
  /** The first bytes read: at least `limit` of them unless the stream ended first. */
  head: Buffer;
  ended: boolean;
}

/**
 * Reads the start of a stream without consuming the rest: until `limit` bytes or the end, whichever comes first.
 * A caller that wants the whole stream after all puts the head back with `stream.unshift(head)`.
 */
export function readHead(stream: Readable, limit: number): Promise<Head> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
    };
    const finish = (ended: boolean) => {
      stop();
      resolve({ head: Buffer.concat(chunks), ended });
    };
    function onReadable() {
      let chunk: Buffer | null;
      while (size < limit && (chunk = stream.read()) !== null) {
        chunks.push(chunk);
        size += chunk.length;
      }
      if (size >= limit) finish(false);
    }
    function onEnd() {
      finish(true);
    }
    function onError(err: Error) {
      stop();
      reject(err);
    }
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}
