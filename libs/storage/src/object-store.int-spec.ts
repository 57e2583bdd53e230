import { localS3 } from '@mlops/config';
import { Client } from 'minio';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ObjectStore } from './object-store';
import { objectUri } from './object-uri';
import { IntegrityError, ObjectTooLargeError } from './storage-errors';

// The local stack's MinIO as its root user: these tests make and drop buckets of their own.
const s3 = localS3('admin');
const MiB = 1024 * 1024;
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** A body that arrives in pieces, the way an upload from a request or a file does. */
function inPieces(data: Buffer, pieceBytes = MiB): Readable {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += pieceBytes) pieces.push(data.subarray(at, at + pieceBytes));
  return Readable.from(pieces);
}

describe('ObjectStore against MinIO', () => {
  const bucket = `mlops-storage-test-${randomUUID().slice(0, 8)}`;
  const store = new ObjectStore(s3);
  // A client of its own, to look at and tamper with the bucket behind the store's back.
  const raw = new Client(s3);

  const exists = (key: string) =>
    raw.statObject(bucket, key).then(
      () => true,
      () => false,
    );
  const incompleteUploads = (key: string) => collect(raw.listIncompleteUploads(bucket, key, true));

  /** Bytes MinIO holds of an upload still in progress, once it holds any (looking for up to 30 s). */
  async function partsSentOf(key: string): Promise<number> {
    for (let look = 0; look < 600; look++) {
      const sent = (await incompleteUploads(key)).reduce((bytes, upload) => bytes + upload.size, 0);
      if (sent > 0) return sent;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return 0;
  }

  beforeAll(async () => {
    await store.ensureBuckets([bucket]);
  });

  afterAll(async () => {
    const objects = await collect(raw.listObjectsV2(bucket, '', true));
    await raw.removeObjects(
      bucket,
      objects.map((o) => o.name as string),
    );
    for (const upload of await collect(raw.listIncompleteUploads(bucket, '', true))) {
      await raw.abortMultipartUpload(bucket, upload.key, upload.uploadId);
    }
    await raw.removeBucket(bucket);
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('ensures buckets idempotently, also when two callers race', async () => {
    const second = `${bucket}-b`;
    try {
      await Promise.all([store.ensureBuckets([bucket, second]), store.ensureBuckets([second])]);
      await store.ensureBuckets([bucket, second]);
      expect(await raw.bucketExists(second)).toBe(true);
    } finally {
      await raw.removeBucket(second);
    }
  });

  it('streams a multi-part body up and reads it back verified, with the sha256 node computes', async () => {
    const data = randomBytes(20 * MiB);
    const stored = await store.putStream(bucket, 'round-trip/data.bin', inPieces(data), {
      contentType: 'application/octet-stream',
      maxBytes: 20 * MiB,
    });
    expect(stored).toEqual({
      bucket,
      key: 'round-trip/data.bin',
      uri: `s3://${bucket}/round-trip/data.bin`,
      sha256: sha256(data),
      sizeBytes: data.length,
    });
    const stat = await raw.statObject(bucket, 'round-trip/data.bin');
    expect(stat.size).toBe(data.length);
    expect(stat.metaData['content-type']).toBe('application/octet-stream');
    expect((await store.readVerified(stored.uri, stored.sha256)).equals(data)).toBe(true);
  });

  it('sends parts while the body is still arriving instead of buffering it whole', async () => {
    const key = 'streaming/partial.bin';
    const head = randomBytes(17 * MiB);
    const tail = randomBytes(MiB);
    const body = new Readable({ read() {} });
    body.push(head);
    const upload = store.putStream(bucket, key, body);
    expect(await partsSentOf(key)).toBeGreaterThan(0);
    body.push(tail);
    body.push(null);
    expect((await upload).sha256).toBe(sha256(Buffer.concat([head, tail])));
  });

  it('stores a small body in one go and an empty one too', async () => {
    const small = await store.putStream(bucket, 'small/one.txt', inPieces(Buffer.from('hello'), 2), {
      contentType: 'text/plain',
    });
    expect(small).toMatchObject({ sha256: sha256(Buffer.from('hello')), sizeBytes: 5 });
    expect((await store.readVerified(small.uri, small.sha256)).toString()).toBe('hello');
    expect((await raw.statObject(bucket, 'small/one.txt')).metaData['content-type']).toBe('text/plain');

    const empty = await store.putStream(bucket, 'small/empty.txt', Readable.from([]));
    expect(empty).toMatchObject({ sha256: sha256(Buffer.alloc(0)), sizeBytes: 0 });
    expect((await store.readVerified(empty.uri, empty.sha256)).length).toBe(0);
  });

  it('stores a buffer with its sha256', async () => {
    const data = Buffer.from('{"accuracy":0.97}');
    const stored = await store.putBuffer(bucket, 'reports/eval.json', data, { contentType: 'application/json' });
    expect(stored.sha256).toBe(sha256(data));
    expect(stored.sizeBytes).toBe(data.length);
    expect((await store.readVerified(stored.uri, stored.sha256)).toString()).toBe('{"accuracy":0.97}');
    expect((await raw.statObject(bucket, 'reports/eval.json')).metaData['content-type']).toBe('application/json');
  });

  it('stores content under its hash, leaving nothing staged', async () => {
    const data = randomBytes(3 * MiB);
    const first = await store.putContentAddressed(bucket, 'datasets/snap/', inPieces(data));
    expect(first.key).toBe(`datasets/snap/sha256/${sha256(data)}`);
    expect(first.uri).toBe(objectUri(bucket, first.key));
    expect(first).toMatchObject({ sha256: sha256(data), sizeBytes: data.length });
    expect((await store.readVerified(first.uri, first.sha256)).equals(data)).toBe(true);

    const again = await store.putContentAddressed(bucket, 'datasets/snap', inPieces(data));
    expect(again.key).toBe(first.key);
    const keys = (await collect(raw.listObjectsV2(bucket, 'datasets/snap/', true))).map((o) => o.name);
    expect(keys).toEqual([first.key]);
  });

  describe('an object changed behind the store', () => {
    const key = 'models/iris/1/model.onnx';
    const original = Buffer.from('original model bytes');
    const tampered = Buffer.from('tampered model bytes');
    let uri: string;

    beforeAll(async () => {
      uri = (await store.putBuffer(bucket, key, original)).uri;
      await raw.putObject(bucket, key, tampered);
    });

    it('is refused by readVerified with an IntegrityError naming the uri', async () => {
      const failure = store.readVerified(uri, sha256(original));
      await expect(failure).rejects.toBeInstanceOf(IntegrityError);
      await expect(failure).rejects.toMatchObject({ uri, expected: sha256(original), actual: sha256(tampered) });
      await expect(failure).rejects.toThrow(uri);
    });

    it('fails the stream from openVerified at its end, so a consumer piping it sees the error', async () => {
      const stream = await store.openVerified(uri, sha256(original));
      const failure = pipeline(stream, new PassThrough().resume());
      await expect(failure).rejects.toBeInstanceOf(IntegrityError);
      await expect(failure).rejects.toThrow(uri);
    });

    it('reads cleanly against the hash of what is there now', async () => {
      expect((await store.readVerified(uri, sha256(tampered))).equals(tampered)).toBe(true);
    });
  });

  describe('maxBytes', () => {
    it('refuses a larger body and stores nothing', async () => {
      const failure = store.putStream(bucket, 'limits/small.bin', inPieces(randomBytes(1000), 100), { maxBytes: 999 });
      await expect(failure).rejects.toBeInstanceOf(ObjectTooLargeError);
      await expect(failure).rejects.toMatchObject({ limitBytes: 999 });
      expect(await exists('limits/small.bin')).toBe(false);
      expect(await incompleteUploads('limits/small.bin')).toEqual([]);
    });

    it('aborts the upload when the limit is passed after parts were already sent', async () => {
      const key = 'limits/large.bin';
      const failure = store.putStream(bucket, key, inPieces(randomBytes(40 * MiB)), { maxBytes: 36 * MiB });
      await expect(failure).rejects.toBeInstanceOf(ObjectTooLargeError);
      expect(await exists(key)).toBe(false);
      expect(await incompleteUploads(key)).toEqual([]);
    });

    it('leaves an object already at the key as it was', async () => {
      const key = 'limits/existing.bin';
      const kept = await store.putBuffer(bucket, key, Buffer.from('keep me'));
      await expect(store.putStream(bucket, key, inPieces(randomBytes(64)), { maxBytes: 10 })).rejects.toBeInstanceOf(
        ObjectTooLargeError,
      );
      expect((await store.readVerified(kept.uri, kept.sha256)).toString()).toBe('keep me');
    });
  });

  it('fails with the error of a body that breaks off early, storing nothing', async () => {
    const key = 'broken/early.bin';
    const body = new Readable({ read() {} });
    body.push(randomBytes(1000));
    setImmediate(() => body.destroy(new Error('client went away')));
    await expect(store.putStream(bucket, key, body)).rejects.toThrow('client went away');
    expect(await exists(key)).toBe(false);
  });

  it('fails with the error of a body that breaks off after parts were sent, aborting the upload', async () => {
    const key = 'broken/late.bin';
    const body = new Readable({ read() {} });
    body.push(randomBytes(17 * MiB));
    const upload = store.putStream(bucket, key, body);
    expect(await partsSentOf(key)).toBeGreaterThan(0);
    body.destroy(new Error('client went away'));
    await expect(upload).rejects.toThrow('client went away');
    expect(await exists(key)).toBe(false);
    expect(await incompleteUploads(key)).toEqual([]);
  });

  it('removes an object by uri', async () => {
    const stored = await store.putBuffer(bucket, 'removable.txt', Buffer.from('x'));
    await store.remove(stored.uri);
    expect(await exists('removable.txt')).toBe(false);
  });
});
