import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, EventData, PlatformEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { BuiltInAlgorithm, InvalidTrainingData, PRODUCER_NAME, PRODUCER_VERSION, readParquetDataset } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { DatasetSnapshot, featureColumn } from './dataset-snapshot';
import { runTrainingPipeline } from './training-pipeline';

/** The trainer's code version recorded with every run: the exporter's producer name and version. */
export const CODE_VERSION = `${PRODUCER_NAME}@${PRODUCER_VERSION}`;

export type TrainingRequest = EventData<'mlops.training.requested'>;
export type TrainingCompletedEvent = PlatformEvent<'mlops.training.completed'>;

/**
 * Trains a built-in algorithm on a dataset snapshot: reads the verified Parquet, splits, trains, evaluates on
 * the holdout, stores model.onnx and the reference profile, then records the run and enqueues
 * `mlops.training.completed` in one transaction. A request that already has a run is not trained again; of
 * two deliveries racing on one request, only the first to commit is recorded and announced, and the other
 * removes what it uploaded.
 */
@Injectable()
export class TrainFromDataset {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly outbox: OutboxWriter,
    private readonly runs: TrainingRunRepository,
  ) {}

  /** Returns the completed event, or null when the request had already completed. */
  async execute(request: TrainingRequest, snapshot: DatasetSnapshot): Promise<TrainingCompletedEvent | null> {
    const started = Date.now();
    if (request.algorithm === 'custom') throw new InvalidTrainingData('algorithm custom is bring-your-own training, not a built-in algorithm');
    const existing = await this.runs.findByRequest(this.dataSource.manager, request.requestId);
    if (existing) return null;
    const bytes = await this.store.readVerified(snapshot.uri, snapshot.sha256);
    const data = await readParquetDataset(bytes, {
      featureColumns: request.featureRefs.map(featureColumn),
      labelColumn: snapshot.labelColumn,
      ...(snapshot.timestampColumn ? { timestampColumn: snapshot.timestampColumn } : {}),
    });
    const result = runTrainingPipeline({
      algorithm: request.algorithm as BuiltInAlgorithm,
      hyperparameters: request.hyperparameters,
      split: request.split,
      seed: request.seed,
      dataset: data,
      ...(data.timestamps ? { timestamps: data.timestamps } : {}),
    });
    const runId = randomUUID();
    const prefix = `${request.modelName}/runs/${runId}`;
    const artifact = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/model.onnx`, Buffer.from(result.onnx), { contentType: 'application/octet-stream' });
    const profile = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/reference-profile.json`, Buffer.from(JSON.stringify(result.profile)), {
      contentType: 'application/json',
    });
    const durationMs = Date.now() - started;
    const event = createEvent(
      'mlops.training.completed',
      {
        runId,
        requestId: request.requestId,
        modelName: request.modelName,
        algorithm: request.algorithm,
        artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
        params: { ...result.params, seed: request.seed },
        metrics: result.metrics,
        // The registry's champion lookup is not wired yet; governance sees no champion to compare with.
        championMetrics: null,
        dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 },
        referenceProfileUri: profile.uri,
        codeVersion: CODE_VERSION,
        parentVersion: null,
        durationMs,
      },
      { source: 'trainer' },
    );
    const recorded = await this.dataSource.transaction(async (manager) => {
      const inserted = await this.runs.insertCompleted(manager, {
        runId,
        requestId: request.requestId,
        modelName: request.modelName,
        algorithm: request.algorithm,
        seed: request.seed,
        params: result.params,
        metrics: result.metrics,
        lossCurve: result.lossCurve,
        dataset: event.data.dataset,
        artifact: event.data.artifact,
        referenceProfileUri: profile.uri,
        codeVersion: CODE_VERSION,
        environment: { node: process.version, platform: process.platform, arch: process.arch },
        durationMs,
      });
      if (inserted) await this.outbox.enqueue(manager, 'mlops.training.completed', event);
      return inserted;
    });
    if (recorded) return event;
    await Promise.all([this.store.remove(artifact.uri), this.store.remove(profile.uri)]);
    return null;
  }
}
