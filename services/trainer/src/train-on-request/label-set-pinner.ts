import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'minio';
import type { PlatformConfig } from '@mlops/config';
import { PLATFORM_CONFIG } from '@mlops/service-kit';
import { PermanentTrainingFailure } from './training-failures';

/**
 * A request names its label CSV by uri only; the feature store reads label sets pinned by content. The trainer
 * hashes the object as it is now, so the snapshot (and the run's lineage) refers to exactly those bytes.
 */
@Injectable()
export class LabelSetPinner {
  private readonly client: Client;

  constructor(@Inject(PLATFORM_CONFIG) config: PlatformConfig) {
    this.client = new Client(config.s3);
  }

  async pin(uri: string): Promise<{ uri: string; sha256: string }> {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!match) throw new PermanentTrainingFailure(`labelSource.uri: ${uri} is not s3://<bucket>/<key>`);
    const hash = createHash('sha256');
    try {
      for await (const chunk of await this.client.getObject(match[1], match[2])) hash.update(chunk as Buffer);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'NoSuchKey' || code === 'NoSuchBucket') throw new PermanentTrainingFailure(`labelSource.uri: no such object ${uri}`);
      // The trainer reads label sets people upload (under uploads/) and the feature store's snapshots, nothing else.
      if (code === 'AccessDenied') throw new PermanentTrainingFailure(`labelSource.uri: the trainer may not read ${uri}; upload label sets under s3://mlops-datasets/uploads/`);
      throw err;
    }
    return { uri, sha256: hash.digest('hex') };
  }
}
