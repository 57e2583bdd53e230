import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce, OutboxWriter } from '@mlops/messaging';
import { inspectOnnxModel } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { VersionMetrics } from '../model-versions/version-metrics';
import { versionRegisteredEvent } from '../model-versions/version-registered-event';

const CONSUMER = 'register-trained-version';

/**
 * A finished training run becomes the model's next version. The artifact is verified against its sha256, its
 * signature read from the file and a copy kept under `models/` before anything is written; the version row and its
 * `version-registered` event commit together, once per training event however often it is delivered.
 */
@Injectable()
export class RegisterTrainedVersion {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly versions: ModelVersionRepository,
    private readonly outbox: OutboxWriter,
    private readonly metrics: VersionMetrics,
  ) {}

  async execute(event: PlatformEvent<'mlops.training.completed'>): Promise<boolean> {
    const run = event.data;
    const bytes = await this.store.readVerified(run.artifact.uri, run.artifact.sha256);
    const signature = await inspectOnnxModel(bytes);
    // Every version's artifact lives under the registry's own prefix, which the gateway may read; the run's copy is the
    // trainer's. Keyed by run, so a redelivery writes the same bytes to the same key.
    const stored = await this.store.putBuffer(BUCKETS.artifacts, `models/${run.modelName}/runs/${run.runId}/model.onnx`, bytes);
    let numbered = false;
    const applied = await applyOnce(this.dataSource, 'registry', CONSUMER, event.id, async (manager) => {
      await this.versions.lockModel(manager, run.modelName, 'trainer');
      // The same run announced again under a new event id (a trainer retry) is still the same version.
      if (await this.versions.hasRun(manager, run.runId)) return;
      const version = await this.versions.insertNext(manager, {
        modelName: run.modelName,
        status: 'READY',
        artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes },
        signature,
        params: run.params,
        metrics: run.metrics,
        referenceProfileUri: run.referenceProfileUri,
        tags: {},
        registeredBy: null,
        lineage: {
          runId: run.runId,
          datasetSnapshotId: run.dataset.snapshotId,
          datasetSha256: run.dataset.sha256,
          codeVersion: run.codeVersion,
          parentVersion: run.parentVersion,
        },
      });
      const registered = versionRegisteredEvent(version);
      await this.outbox.enqueue(manager, 'mlops.registry.version-registered', registered);
      numbered = true;
    });
    if (numbered) this.metrics.registeredFrom('training');
    return applied;
  }
}
