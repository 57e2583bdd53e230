import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, EventData, PlatformEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { BuiltInAlgorithm, InvalidTrainingData, isClassifier, PRODUCER_NAME, PRODUCER_VERSION, readParquetDataset } from '@mlops/ml';
import { JsonLogger } from '@mlops/observability';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { RegistryClient } from '../registry/registry.client';
import { RunLogStore } from '../run-log/run-log.store';
import { ThrottledProgress } from '../training-requests/throttled-progress';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';
import { ChampionComparison, TrainingRunRepository } from '../training-runs/training-run.repository';
import { describeBuiltInRun } from './built-in-run-log';
import { evaluateChampion } from './champion-evaluation';
import { DatasetSnapshot, featureColumn } from './dataset-snapshot';
import { runTrainingPipelineInWorker } from './training-pipeline-worker';

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
 *
 * Training runs on a worker thread, its progress recorded in Postgres about once a second. The model's
 * champion (from the registry, fetched before training so an unreachable registry costs no training) is
 * scored on the same holdout; its metrics and version go with the run and the event.
 */
@Injectable()
export class TrainFromDataset {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly outbox: OutboxWriter,
    private readonly runs: TrainingRunRepository,
    private readonly registry: RegistryClient,
    private readonly requests: TrainingRequestRepository,
    private readonly logs: RunLogStore,
    private readonly logger: JsonLogger,
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
    const champion = await this.registry.champion(request.modelName);
    const algorithm = request.algorithm as BuiltInAlgorithm;
    const result = await this.train(request, {
      algorithm,
      hyperparameters: request.hyperparameters,
      split: request.split,
      seed: request.seed,
      dataset: data,
      ...(data.timestamps ? { timestamps: data.timestamps } : {}),
    });
    const comparison = await this.compareWithChampion(request, champion, result.holdout, isClassifier(algorithm) ? 'classification' : 'regression');
    const runId = randomUUID();
    const prefix = `${request.modelName}/runs/${runId}`;
    const artifact = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/model.onnx`, Buffer.from(result.onnx), { contentType: 'application/octet-stream' });
    const profile = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/reference-profile.json`, Buffer.from(JSON.stringify(result.profile)), {
      contentType: 'application/json',
    });
    const durationMs = Date.now() - started;
    const log = await this.logs.save(
      request.modelName,
      runId,
      describeBuiltInRun({ ...request, snapshot, ...result, champion: comparison, durationMs }),
    );
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
        championMetrics: comparison.championMetrics,
        dataset: { snapshotId: snapshot.snapshotId, sha256: snapshot.sha256 },
        referenceProfileUri: profile.uri,
        codeVersion: CODE_VERSION,
        parentVersion: comparison.parentVersion,
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
      if (inserted) {
        await this.runs.attachChampionComparison(manager, runId, comparison);
        await this.runs.attachLog(manager, runId, log);
        await this.outbox.enqueue(manager, 'mlops.training.completed', event);
      }
      return inserted;
    });
    if (recorded) return event;
    await Promise.all([this.store.remove(artifact.uri), this.store.remove(profile.uri), this.logs.remove(log.uri)]);
    return null;
  }

  private async train(request: TrainingRequest, input: Parameters<typeof runTrainingPipelineInWorker>[0]) {
    const requests = this.requests;
    const manager = this.dataSource.manager;
    await requests.markStarted(manager, request.requestId, request.modelName);
    const progress = new ThrottledProgress(
      (iteration, total) => requests.recordProgress(manager, request.requestId, iteration, total),
      (err) => this.logger.warn(`progress of request ${request.requestId} not recorded: ${(err as Error).message}`, 'TrainFromDataset'),
    );
    try {
      return await runTrainingPipelineInWorker({ ...input, onIteration: (iteration, total) => progress.report(iteration, total) });
    } finally {
      await progress.flush();
    }
  }

  private async compareWithChampion(
    request: TrainingRequest,
    champion: Awaited<ReturnType<RegistryClient['champion']>>,
    holdout: Parameters<typeof evaluateChampion>[1],
    task: Parameters<typeof evaluateChampion>[2],
  ): Promise<ChampionComparison> {
    if (!champion) return { parentVersion: null, championSource: null, championMetrics: null, championSkippedReason: null };
    const evaluation = await evaluateChampion(champion, holdout, task);
    if (evaluation.skippedReason) {
      this.logger.warn(
        `champion v${evaluation.version} of ${request.modelName} not scored on the holdout of request ${request.requestId}: ${evaluation.skippedReason}`,
        'TrainFromDataset',
      );
    }
    return {
      parentVersion: evaluation.version,
      championSource: evaluation.source,
      championMetrics: evaluation.metrics,
      championSkippedReason: evaluation.skippedReason,
    };
  }
}
