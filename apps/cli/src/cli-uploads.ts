import { loadObjectStoreConfig } from '@mlops/config';
import { ObjectStore, StoredObject } from '@mlops/storage';
import { CliError, EXIT } from './cli-error';
import type { Output } from './output';
import { fileSize, uploadWithProgress } from './progress';

/**
 * The CLI's one object-store client, with the user's own credentials (MLOPS_S3_*), read only when a command uploads.
 * Files go up with their sha256 computed on the way, so the service that reads them reads exactly those bytes.
 */
export class CliUploads {
  private store: ObjectStore | null = null;

  async upload(output: Output, file: string, bucket: string, key: string, contentType: string): Promise<StoredObject> {
    const size = await fileSize(file);
    this.store ??= new ObjectStore(loadObjectStoreConfig());
    const reading = uploadWithProgress(output, file, size);
    try {
      return await this.store.putStream(bucket, key, reading.stream, { contentType });
    } catch (err) {
      throw new CliError(`cannot upload ${file} to object storage: ${(err as Error).message}`, EXIT.unreachable);
    } finally {
      reading.stop();
    }
  }
}
