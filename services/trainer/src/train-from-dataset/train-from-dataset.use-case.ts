import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TrainingCompletedEvent, TrainingRequest } from '../training-requests/training-request';
import { BuiltInAlgorithm, InvalidTrainingData, isClassifier, PRODUCER_NAME, PRODUCER_VERSION, readParquetDataset } from '@mlops/ml';
import { JsonLogger } from '@mlops/observability';
import { ObjectStore } from '@mlops/storage';
import { ThrottledProgress } from '../training-requests/throttled-progress';
import { TrainingRequestRepository } from '../training-requests/training-request.repository';
import { RunRecorder } from '../training-runs/run-recorder';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { describeBuiltInRun } from './built-in-run-log';
import { ChampionComparer } from './champion-evaluation';
import { DatasetSnapshot, featureColumn } from './dataset-snapshot';
import { groupColumns } from './group-metrics';
import { runTrainingPipelineInWorker } from './training-pipeline-worker';

/** The trainer's code version recorded with every run: the exporter's producer name and version. */
export const CODE_VERSION = `${PRODUCER_NAME}@${PRODUCER_VERSION}`;

/**
 * Trains a built-in algorithm on a dataset snapshot: reads the verified Parquet, trains on a worker thread (its
 * progress recorded in Postgres about once a second), evaluates on the holdout next to the model's champion,
 * then hands the run to the RunRecorder. A request that already has a run is not trained again.
 */
@Injectable()
export class TrainFromDataset {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly runs: TrainingRunRepository,
    private readonly champions: ChampionComparer,
    private readonly requests: TrainingRequestRepository,
    private readonly recorder: RunRecorder,
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
    const champion = await this.champions.fetch(request.modelName);
    const algorithm = request.algorithm as BuiltInAlgorithm;
    const result = await this.train(request, {
      algorithm,
      hyperparameters: request.hyperparameters,
      split: request.split,
      seed: request.seed,
      dataset: data,
      ...(data.timestamps ? { timestamps: data.timestamps } : {}),
      groupBy: groupColumns(request.featureRefs, request.sensitiveAttributes),
    });
    const task = isClassifier(algorithm) ? 'classification' : 'regression';
    const comparison = await this.champions.compare(champion, result.holdout, task, request.modelName);
    const durationMs = Date.now() - started;
    return this.recorder.record({
      request,
      snapshot,
      onnx: result.onnx,
      profile: result.profile,
      log: () => describeBuiltInRun({ ...request, snapshot, ...result, champion: comparison, durationMs }),
      params: result.params,
      metrics: result.metrics,
      groupMetrics: result.groupMetrics,
      lossCurve: result.lossCurve,
      champion: comparison,
      codeVersion: CODE_VERSION,
      environment: {},
      durationMs,
    });
  }

  private async train(request: TrainingRequest, input: Parameters<typeof runTrainingPipelineInWorker>[0]) {
    const manager = this.dataSource.manager;
    await this.requests.markStarted(manager, request.requestId, request.modelName);
    const progress = new ThrottledProgress(
      (iteration, total) => this.requests.recordProgress(manager, request.requestId, iteration, total),
      (err) => this.logger.warn(`progress of request ${request.requestId} not recorded: ${(err as Error).message}`, 'TrainFromDataset'),
    );
    try {
      return await runTrainingPipelineInWorker({ ...input, onIteration: (iteration, total) => progress.report(iteration, total) });
    } finally {
      await progress.flush();
    }
  }
}
