import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, PlatformEvent } from '@mlops/contracts';
import { applyOnce, OutboxWriter } from '@mlops/messaging';
import { InvalidHyperparameters, InvalidTrainingData } from '@mlops/ml';
import { IntegrityError } from '@mlops/storage';
import { TrainCustom } from '../custom-training/train-custom.use-case';
import { DatasetLabels, FeatureStoreDatasetClient } from '../feature-store/feature-store-dataset.client';
import { TrainFromDataset } from '../train-from-dataset/train-from-dataset.use-case';
import type { TrainingRequest } from '../training-requests/training-request';
import { DatasetSnapshot } from '../train-from-dataset/dataset-snapshot';
import { TrainingJobRepository } from '../training-jobs/training-job.repository';
import { TrainingAttemptRepository } from '../training-runs/training-attempt.repository';
import { TrainingMetrics } from '../training-runs/training-metrics';
import { TRAINER_CONFIG, TrainerConfig } from '../trainer.config';
import { PermanentTrainingFailure } from './training-failures';

/** Columns a label CSV (`labelSource.kind = dataset`) holds besides the join keys. */
export const LABEL_TIMESTAMP_FIELD = 'event_timestamp';
export const LABEL_FIELD = 'label';

/**
 * Runs one training job (one `mlops.training.requested`): a point-in-time dataset from the feature store, then
 * TrainFromDataset (built-in algorithms) or TrainCustom (`algorithm: custom`, a registered trainer executable).
 * A failure of the request itself is counted in Postgres and rethrown for the job runner's backoff; at the bound
 * it becomes `mlops.training.failed` (once per request, in the transaction that ends the job) instead. Anything
 * else (the feature store or storage unreachable) is rethrown uncounted, so an outage never fails a request.
 */
@Injectable()
export class TrainOnRequest {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly attempts: TrainingAttemptRepository,
    private readonly featureStore: FeatureStoreDatasetClient,
    private readonly trainFromDataset: TrainFromDataset,
    private readonly trainCustom: TrainCustom,
    @Inject(TRAINER_CONFIG) private readonly config: TrainerConfig,
    private readonly metrics: TrainingMetrics,
    private readonly jobs: TrainingJobRepository,
  ) {}

  async execute(event: PlatformEvent<'mlops.training.requested'>): Promise<void> {
    const request = event.data;
    if (await this.attempts.hasFailed(this.dataSource.manager, request.requestId)) return;
    try {
      if (request.algorithm === 'custom') {
        await this.trainCustom.check(request);
        await this.trainCustom.execute(request, await this.datasetFor(request, event.time));
      } else {
        await this.trainFromDataset.execute(request, await this.datasetFor(request, event.time));
      }
    } catch (err) {
      if (!isPermanent(err)) throw err;
      const reason = (err as Error).message;
      const failures = await this.attempts.recordFailure(this.dataSource.manager, request.requestId, request.modelName, reason);
      if (failures < this.config.maxAttempts) throw err;
      await this.fail(event.id, request, reason, failures);
      this.metrics.failed(request.algorithm);
    }
  }

  /**
   * Labels from a feature are read up to the time the request was made, so every delivery of it (a retry, another
   * instance) asks for the same rows even while new labels stream in; a label CSV comes pinned by its sha256.
   */
  private async datasetFor(request: TrainingRequest, requestedAt: string): Promise<DatasetSnapshot> {
    const labels: DatasetLabels =
      request.labelSource.kind === 'feature'
        ? { labelFeature: { ref: request.labelSource.featureRef, to: requestedAt } }
        : { entitySource: { uri: request.labelSource.uri, sha256: request.labelSource.sha256 } };
    const snapshot = await this.featureStore.build({
      ...labels,
      features: request.featureRefs,
      timestampField: LABEL_TIMESTAMP_FIELD,
      labelField: LABEL_FIELD,
    });
    return { snapshotId: snapshot.snapshotId, uri: snapshot.uri, sha256: snapshot.sha256, labelColumn: LABEL_FIELD, timestampColumn: LABEL_TIMESTAMP_FIELD };
  }

  private async fail(eventId: string, request: TrainingRequest, reason: string, attempts: number): Promise<void> {
    await applyOnce(this.dataSource, 'trainer', 'training-failed', eventId, async (manager) => {
      await this.attempts.markFailed(manager, request.requestId);
      await this.jobs.finish(request.requestId, manager);
      const failed = createEvent(
        'mlops.training.failed',
        { runId: randomUUID(), requestId: request.requestId, modelName: request.modelName, reason, attempts },
        { source: 'trainer' },
      );
      await this.outbox.enqueue(manager, 'mlops.training.failed', failed);
    });
  }
}

function isPermanent(err: unknown): boolean {
  return (
    err instanceof PermanentTrainingFailure ||
    err instanceof InvalidTrainingData ||
    err instanceof InvalidHyperparameters ||
    err instanceof IntegrityError
  );
}
