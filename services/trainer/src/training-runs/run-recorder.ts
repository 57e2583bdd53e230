import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createEvent, PlatformEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import type { LossPoint, ReferenceProfile } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { RunLogStore } from '../run-log/run-log.store';
import type { DatasetSnapshot } from '../train-from-dataset/dataset-snapshot';
import type { GroupMetrics } from '../train-from-dataset/group-metrics';
import type { TrainingRequest } from '../training-requests/training-request';
import { TrainingJobRepository } from '../training-jobs/training-job.repository';
import { ChampionComparison, TrainingRunRepository } from './training-run.repository';
import { TrainingMetrics } from './training-metrics';

/** Everything a finished run produced, built-in or brought by the user. */
export interface FinishedRun {
  request: TrainingRequest;
  snapshot: Pick<DatasetSnapshot, 'snapshotId' | 'sha256'>;
  onnx: Uint8Array;
  profile: ReferenceProfile;
  /** The run log; `runId` is known only here, so the log is asked for once the run has one. */
  log: (runId: string) => string;
  /** All params, as the event carries them; the run row keeps the numeric ones. */
  params: Record<string, string | number | boolean>;
  metrics: Record<string, number>;
  /** Holdout metrics per group of each sensitive attribute the request named (built-in trainers only). */
  groupMetrics?: GroupMetrics[];
  lossCurve: LossPoint[];
  champion: ChampionComparison;
  codeVersion: string;
  environment: Record<string, string>;
  durationMs: number;
}

/**
 * Stores a run's model.onnx, reference profile and log under `runs/<model>/<runId>/`, then records the run, ends
 * its training job and enqueues `mlops.training.completed` in one transaction. Of two deliveries racing on one request, only the first
 * to commit is recorded and announced; the other removes what it uploaded and gets null.
 */
@Injectable()
export class RunRecorder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly outbox: OutboxWriter,
    private readonly runs: TrainingRunRepository,
    private readonly logs: RunLogStore,
    private readonly metrics: TrainingMetrics,
    private readonly jobs: TrainingJobRepository,
  ) {}

  async record(run: FinishedRun): Promise<PlatformEvent<'mlops.training.completed'> | null> {
    const { request } = run;
    const runId = randomUUID();
    const prefix = `runs/${request.modelName}/${runId}`;
    const artifact = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/model.onnx`, Buffer.from(run.onnx), { contentType: 'application/octet-stream' });
    const profile = await this.store.putBuffer(BUCKETS.artifacts, `${prefix}/reference-profile.json`, Buffer.from(JSON.stringify(run.profile)), {
      contentType: 'application/json',
    });
    const log = await this.logs.save(request.modelName, runId, run.log(runId));
    const event = createEvent(
      'mlops.training.completed',
      {
        runId,
        requestId: request.requestId,
        modelName: request.modelName,
        algorithm: request.algorithm,
        artifact: { uri: artifact.uri, sha256: artifact.sha256, sizeBytes: artifact.sizeBytes },
        params: { ...run.params, seed: request.seed },
        metrics: run.metrics,
        championMetrics: run.champion.championMetrics,
        dataset: { snapshotId: run.snapshot.snapshotId, sha256: run.snapshot.sha256 },
        referenceProfileUri: profile.uri,
        codeVersion: run.codeVersion,
        parentVersion: run.champion.parentVersion,
        durationMs: run.durationMs,
        groupMetrics: run.groupMetrics ?? [],
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
        params: numericParams(event.data.params),
        metrics: run.metrics,
        lossCurve: run.lossCurve,
        dataset: event.data.dataset,
        artifact: event.data.artifact,
        referenceProfileUri: profile.uri,
        codeVersion: run.codeVersion,
        environment: { node: process.version, platform: process.platform, arch: process.arch, ...run.environment },
        durationMs: run.durationMs,
      });
      if (!inserted) return false;
      await this.runs.attachChampionComparison(manager, runId, run.champion);
      await this.runs.attachLog(manager, runId, log);
      await this.jobs.finish(request.requestId, manager);
      await this.outbox.enqueue(manager, 'mlops.training.completed', event);
      return true;
    });
    if (recorded) {
      this.metrics.completed(request.algorithm, run.durationMs);
      return event;
    }
    await Promise.all([this.store.remove(artifact.uri), this.store.remove(profile.uri), this.logs.remove(log.uri)]);
    return null;
  }
}

/** The run row's params are numeric; the rest (a custom trainer's name) is in the event and the environment. */
function numericParams(params: Record<string, string | number | boolean>): Record<string, number> {
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
}
