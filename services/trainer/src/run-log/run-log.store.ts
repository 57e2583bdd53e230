import { Injectable } from '@nestjs/common';
import { BUCKETS, ObjectStore, StoredObject } from '@mlops/storage';

/** A run's log as a text object next to its artifact: `runs/<model>/<runId>/log.txt` in the artifacts bucket. */
@Injectable()
export class RunLogStore {
  constructor(private readonly store: ObjectStore) {}

  save(modelName: string, runId: string, text: string): Promise<StoredObject> {
    return this.store.putBuffer(BUCKETS.artifacts, `runs/${modelName}/${runId}/log.txt`, Buffer.from(text, 'utf8'), {
      contentType: 'text/plain; charset=utf-8',
    });
  }

  async read(log: { uri: string; sha256: string }): Promise<string> {
    return (await this.store.readVerified(log.uri, log.sha256)).toString('utf8');
  }

  remove(uri: string): Promise<void> {
    return this.store.remove(uri);
  }
}
