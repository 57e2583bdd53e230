import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, PlatformEvent } from '@mlops/contracts';
import { applyOnce, OutboxWriter } from '@mlops/messaging';
import { inspectOnnxModel } from '@mlops/ml';
import { ObjectStore } from '@mlops/storage';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

const CONSUMER = 'register-trained-version';

/**
 * A finished training run becomes the model's next version. The artifact is verified against its sha256 and
 * its signature read from the file before anything is written; the version row and its
 * `version-registered` event commit together, once per training event however often it is delivered.
 */
@Injectable()
export class RegisterTrainedVersion {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly versions: ModelVersionRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(event: PlatformEvent<'mlops.training.completed'>): Promise<boolean> {
    const run = event.data;
    const bytes = await this.store.readVerified(run.artifact.uri, run.artifact.sha256);
    const signature = await inspectOnnxModel(bytes);
    return applyOnce(this.dataSource, 'registry', CONSUMER, event.id, async (manager) => {
      await this.versions.lockModel(manager, run.modelName, 'trainer');
      const version = await this.versions.insertNext(manager, {
        modelName: run.modelName,
        status: 'READY',
        artifact: run.artifact,
        signature,
        params: run.params,
        metrics: run.metrics,
        referenceProfileUri: run.referenceProfileUri,
        lineage: {
          runId: run.runId,
          datasetSnapshotId: run.dataset.snapshotId,
          datasetSha256: run.dataset.sha256,
          codeVersion: run.codeVersion,
          parentVersion: run.parentVersion,
        },
      });
      const registered = createEvent(
        'mlops.registry.version-registered',
        {
          modelName: version.modelName,
          version: version.version,
          riskTier: version.riskTier,
          artifact: version.artifact,
          signature: version.signature,
          metrics: version.metrics,
          referenceProfileUri: version.referenceProfileUri,
          lineage: version.lineage,
          registeredAt: version.createdAt,
        },
        { source: 'registry' },
      );
      await this.outbox.enqueue(manager, 'mlops.registry.version-registered', registered);
    });
  }
}
