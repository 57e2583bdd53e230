import { Client, CopyDestinationOptions, CopySourceOptions, ItemBucketMetadata } from 'minio';
import { createHash, randomUUID } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import { HashingStream } from './hashing-stream';
import { objectUri, parseObjectUri } from './object-uri';
import { readHead } from './read-head';

export interface S3Config {
  endPoint: string;
  port: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
}

export interface StoredObject {
  bucket: string;
  key: string;
  uri: string;
  sha256: string;
  sizeBytes: number;
}

export interface PutOptions {
  contentType?: string;
  /** Refuse (ObjectTooLargeError) a body longer than this, without storing any of it. */
  maxBytes?: number;
}

/**
 * minio holds one part in memory at a time. Left to itself it sizes parts for the largest possible object
 * (over 500 MiB) when the length is unknown, which would buffer most bodies whole; 16 MiB parts still allow
 * objects up to 156 GiB (10,000 parts).
 */
const PART_SIZE = 16 * 1024 * 1024;

/** Object storage (MinIO or any S3 API) where every object is written and read with its sha256. */
export class ObjectStore {
  private readonly client: Client;

  constructor(config: S3Config) {
    this.client = new Client({ ...config, partSize: PART_SIZE });
  }

  async ping(): Promise<void> {
    await this.client.listBuckets();
  }

  /** A service's user may not create buckets: it checks that the platform's admin made them (`infra up`, init jobs). */
  async requireBuckets(names: readonly string[]): Promise<void> {
    const existing = new Set((await this.client.listBuckets()).map((bucket) => bucket.name));
    const missing = names.filter((name) => !existing.has(name));
    if (missing.length > 0) throw new Error(`bucket(s) ${missing.join(', ')} missing: the platform's object storage is not provisioned`);
  }

  async ensureBuckets(names: readonly string[]): Promise<void> {
    for (const name of names) {
      if (await this.client.bucketExists(name)) continue;
      try {
        await this.client.makeBucket(name);
      } catch (err) {
        // Another replica starting at the same moment may have created it first; that is as good.
        if (!(await this.client.bucketExists(name))) throw err;
      }
    }
  }

  /**
   * Streams the body to storage, hashing and counting it on the way. On any failure, including a body over
   * maxBytes, the unfinished multipart upload is aborted: nothing of the body is left, and an object already
   * at that key stays as it was.
   */
  async putStream(bucket: string, key: string, body: Readable, opts: PutOptions = {}): Promise<StoredObject> {
    const hasher = new HashingStream({ maxBytes: opts.maxBytes });
    const upload = this.upload(bucket, key, hasher, opts.contentType);
    // If the upload fails first, the hasher must fail too, or the body would wait forever for a reader.
    upload.catch((err: Error) => hasher.destroy(err));
    const outcomes = await Promise.allSettled([pipelineAsync(body, hasher), upload]);
    // The body's own failure (or the size limit) comes first: the upload failing after it is only a consequence.
    const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failure) {
      await this.abortUpload(bucket, key);
      throw failure.reason;
    }
    return { bucket, key, uri: objectUri(bucket, key), sha256: hasher.sha256, sizeBytes: hasher.sizeBytes };
  }

  /**
   * A body that fits in one part goes up in a single request; only a longer one takes minio's multipart path,
   * which also could not store an empty body (S3 refuses to complete an upload of zero parts).
   */
  private async upload(bucket: string, key: string, body: HashingStream, contentType?: string): Promise<void> {
    const { head, ended } = await readHead(body, PART_SIZE);
    if (ended) {
      await this.client.putObject(bucket, key, head, head.length, metadata(contentType));
      return;
    }
    body.unshift(head);
    await this.client.putObject(bucket, key, body, undefined, metadata(contentType));
  }

  async putBuffer(bucket: string, key: string, body: Buffer, opts: { contentType?: string } = {}): Promise<StoredObject> {
    const sha256 = createHash('sha256').update(body).digest('hex');
    await this.client.putObject(bucket, key, body, body.length, metadata(opts.contentType));
    return { bucket, key, uri: objectUri(bucket, key), sha256, sizeBytes: body.length };
  }

  /**
   * Stores the body under `${prefix}/sha256/<hex>`. The hash is known only once the body has been read, so it is
   * uploaded to a staging key first, then copied server-side (no second transfer) to its final key.
   */
  async putContentAddressed(bucket: string, prefix: string, body: Readable, opts: PutOptions = {}): Promise<StoredObject> {
    const base = prefix.replace(/\/+$/, '');
    const staged = await this.putStream(bucket, `${base}/staging/${randomUUID()}`, body, opts);
    try {
      const key = `${base}/sha256/${staged.sha256}`;
      // composeObject, not copyObject: a single copy request is limited to 5 GiB, composeObject copies in parts.
      await this.client.composeObject(new CopyDestinationOptions({ Bucket: bucket, Object: key }), [
        new CopySourceOptions({ Bucket: bucket, Object: staged.key }),
      ]);
      return { ...staged, key, uri: objectUri(bucket, key) };
    } finally {
      await this.client.removeObject(bucket, staged.key);
    }
  }

  /**
   * Streams the object while hashing it; the stream fails with IntegrityError at its end when the hash differs.
   * Data already passed on before that is untrusted until the stream has ended cleanly.
   */
  async openVerified(uri: string, sha256: string): Promise<Readable> {
    const { bucket, key } = parseObjectUri(uri);
    const source = await this.client.getObject(bucket, key);
    const verifier = new HashingStream({ expect: { uri, sha256 } });
    // The reader sees any failure on the returned stream; pipeline also closes the download if the reader stops.
    pipeline(source, verifier, () => undefined);
    return verifier;
  }

  async readVerified(uri: string, sha256: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openVerified(uri, sha256)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** For objects no hash is known for (a profile named by URI in an event); verify with readVerified when one is. */
  async read(uri: string): Promise<Buffer> {
    const { bucket, key } = parseObjectUri(uri);
    const chunks: Buffer[] = [];
    for await (const chunk of await this.client.getObject(bucket, key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async remove(uri: string): Promise<void> {
    const { bucket, key } = parseObjectUri(uri);
    await this.client.removeObject(bucket, key);
  }

  /**
   * Best effort: the caller needs the error that failed the upload, not one from cleaning up after it, and MinIO
   * expires abandoned multipart uploads by itself in time.
   */
  private async abortUpload(bucket: string, key: string): Promise<void> {
    try {
      const uploadId = await this.client.findUploadId(bucket, key);
      if (uploadId) await this.client.abortMultipartUpload(bucket, key, uploadId);
    } catch {
      return;
    }
  }
}

function metadata(contentType: string | undefined): ItemBucketMetadata {
  return contentType ? { 'Content-Type': contentType } : {};
}
