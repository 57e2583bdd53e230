import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  buildReferenceProfile,
  featureMatrixColumns,
  IncompatibleModel,
  inspectOnnxModel,
  InvalidOnnxModel,
  InvalidTrainingData,
  LabeledDataset,
  ProfileInput,
  readParquetDataset,
  scoreOnnxModel,
  selectRows,
} from '@mlops/ml';
import { ObjectStore } from '@mlops/storage';
import { ChampionComparer } from '../train-from-dataset/champion-evaluation';
import { DatasetSnapshot, featureColumn } from '../train-from-dataset/dataset-snapshot';
import type { TrainingCompletedEvent, TrainingRequest } from '../training-requests/training-request';
import { holdoutMetrics, predictionColumns } from '../train-from-dataset/training-pipeline';
import { PermanentTrainingFailure } from '../train-on-request/training-failures';
import { CUSTOM_TRAINING_CONFIG, CustomTrainingConfig } from '../trainer.config';
import { RunRecorder } from '../training-runs/run-recorder';
import { TrainingRunRepository } from '../training-runs/training-run.repository';
import { describeExit, failureReason, parseReportedMetrics } from './custom-trainer-outputs';
import { CustomTrainerRegistry, RegisteredTrainer } from './custom-trainer-registry';
import { inferTask, parseCustomTrainingRequest, TrainingTask } from './custom-training-request';
import { holdoutRowIndices } from './holdout-split';
import { runTrainerProcess } from './trainer-process';

interface TrainerOutputs {
  onnx: Buffer;
  reported: Record<string, number>;
}

interface Evaluation {
  metrics: Record<string, number>;
  predictions: ProfileInput[];
  note: string;
}

/**
 * Bring-your-own training: runs a registered trainer executable on the request's snapshot (contract in the
 * trainer's README), checks its model.onnx loads, scores it on the platform's own holdout so its metrics
 * compare with built-in runs and the champion, then records the run like a built-in one: model.onnx, profile
 * and log to object storage, the run row and `mlops.training.completed` in one transaction, once per request.
 * Anything wrong with the trainer or its outputs is a PermanentTrainingFailure naming it.
 */
@Injectable()
export class TrainCustom {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly runs: TrainingRunRepository,
    private readonly champions: ChampionComparer,
    private readonly recorder: RunRecorder,
    private readonly trainers: CustomTrainerRegistry,
    @Inject(CUSTOM_TRAINING_CONFIG) private readonly config: CustomTrainingConfig,
  ) {}

  /** Refuses a request naming no registered trainer before any dataset is built for it. */
  async check(request: TrainingRequest): Promise<void> {
    await this.trainers.resolve(parseCustomTrainingRequest(request.hyperparameters).trainer);
  }

  /** Returns the completed event, or null when the request had already completed. */
  async execute(request: TrainingRequest, snapshot: DatasetSnapshot): Promise<TrainingCompletedEvent | null> {
    const started = Date.now();
    const custom = parseCustomTrainingRequest(request.hyperparameters);
    const trainer = await this.trainers.resolve(custom.trainer);
    if (await this.runs.findByRequest(this.dataSource.manager, request.requestId)) return null;
    const codeVersion = await this.trainers.codeVersion(trainer);
    const parquet = await this.store.readVerified(snapshot.uri, snapshot.sha256);
    const featureColumns = request.featureRefs.map(featureColumn);
    const data = await readParquetDataset(parquet, {
      featureColumns,
      labelColumn: snapshot.labelColumn,
      ...(snapshot.timestampColumn ? { timestampColumn: snapshot.timestampColumn } : {}),
    });
    const task = custom.task ?? inferTask(data.labels);
    const rows = holdoutRowIndices(data.features.rows, request.split, request.seed, data.timestamps);
    if (rows.train.length === 0 || rows.holdout.length === 0) {
      throw new InvalidTrainingData(`${data.features.rows} rows are too few for a holdout of ${request.split.holdoutFraction}`);
    }
    const train = selectRows(data, rows.train);
    const holdout = selectRows(data, rows.holdout);
    const champion = await this.champions.fetch(request.modelName);

    const work = await mkdtemp(join(tmpdir(), 'mlops-custom-training-'));
    let outputs: TrainerOutputs;
    let log: string;
    try {
      const paths = { dataset: join(work, 'dataset.parquet'), params: join(work, 'params.json'), holdout: join(work, 'holdout-rows.json'), output: join(work, 'output') };
      await writeFile(paths.dataset, parquet);
      await writeFile(paths.params, JSON.stringify(custom.params, null, 2));
      await writeFile(paths.holdout, JSON.stringify(rows.holdout));
      await mkdir(paths.output);
      const env: Record<string, string> = {
        ...this.config.processEnv,
        MLOPS_TRAIN_LABEL_COLUMN: snapshot.labelColumn,
        MLOPS_TRAIN_FEATURE_COLUMNS: JSON.stringify(featureColumns),
        ...(snapshot.timestampColumn ? { MLOPS_TRAIN_TIMESTAMP_COLUMN: snapshot.timestampColumn } : {}),
        MLOPS_TRAIN_TASK: task,
        MLOPS_TRAIN_SPLIT_POLICY: request.split.policy,
        MLOPS_TRAIN_HOLDOUT_FRACTION: String(request.split.holdoutFraction),
        MLOPS_TRAIN_HOLDOUT_ROWS_FILE: paths.holdout,
        MLOPS_TRAIN_SEED: String(request.seed),
      };
      const outcome = await runTrainerProcess({
        executable: trainer.entry,
        args: [paths.dataset, paths.params, paths.output],
        cwd: work,
        env,
        timeoutMs: this.config.timeoutMs,
        killGraceMs: this.config.killGraceMs,
        logMaxBytes: this.config.logMaxBytes,
      }).catch((err: Error) => {
        throw new PermanentTrainingFailure(`custom trainer ${trainer.name} could not be started: ${err.message}`);
      });
      const failure = describeExit(outcome, this.config.timeoutMs);
      if (failure) throw new PermanentTrainingFailure(failureReason(trainer.name, failure, outcome.output));
      outputs = await this.readOutputs(trainer, paths.output, outcome.output);
      log =
        (outcome.droppedBytes > 0 ? `[mlops-trainer] log truncated: the first ${outcome.droppedBytes} bytes of output were dropped, the last ${this.config.logMaxBytes} are kept\n` : '') +
        outcome.output +
        (outcome.output.endsWith('\n') || outcome.output === '' ? '' : '\n') +
        `[mlops-trainer] custom trainer ${trainer.name} (${codeVersion}) exited with code 0\n`;
    } finally {
      await rm(work, { recursive: true, force: true });
    }

    const evaluation = await this.evaluate(outputs.onnx, task, train, holdout);
    log += `[mlops-trainer] ${evaluation.note}\n`;
    const comparison = await this.champions.compare(champion, holdout, task, request.modelName);
    return this.recorder.record({
      request,
      snapshot,
      onnx: outputs.onnx,
      profile: buildReferenceProfile(featureMatrixColumns(train.features), evaluation.predictions),
      log: () => log,
      params: { ...custom.params, trainer: trainer.name },
      metrics: { ...evaluation.metrics, ...outputs.reported },
      lossCurve: [],
      champion: comparison,
      codeVersion,
      environment: { trainer: trainer.name, task },
      durationMs: Date.now() - started,
    });
  }

  private async readOutputs(trainer: RegisteredTrainer, dir: string, output: string): Promise<TrainerOutputs> {
    const fail = (what: string) => new PermanentTrainingFailure(failureReason(trainer.name, what, output));
    const onnx = await readFile(join(dir, 'model.onnx')).catch(() => {
      throw fail('it exited 0 but wrote no model.onnx');
    });
    const metricsText = await readFile(join(dir, 'metrics.json'), 'utf8').catch(() => {
      throw fail('it exited 0 but wrote no metrics.json');
    });
    const reported = parseReportedMetrics(metricsText);
    if ('error' in reported) throw fail(reported.error);
    try {
      await inspectOnnxModel(onnx);
    } catch (err) {
      if (err instanceof InvalidOnnxModel) throw fail(`its model.onnx does not load: ${err.reason}`);
      throw err;
    }
    return { onnx, reported: reported.metrics };
  }

  /** Holdout metrics and training-set predictions when the platform can score the model; otherwise neither. */
  private async evaluate(onnx: Buffer, task: TrainingTask, train: LabeledDataset, holdout: LabeledDataset): Promise<Evaluation> {
    let holdoutScores: Float64Array;
    let trainScores: Float64Array;
    try {
      holdoutScores = await scoreOnnxModel(onnx, holdout.features, task);
      trainScores = await scoreOnnxModel(onnx, train.features, task);
    } catch (err) {
      if (!(err instanceof IncompatibleModel)) throw err;
      return { metrics: {}, predictions: [], note: `model.onnx cannot be scored on the platform holdout (${err.reason}): only its reported metrics are recorded` };
    }
    const metrics = holdoutMetrics(task, holdout.labels, holdoutScores);
    const predictions = predictionColumns(task, trainScores);
    const shown = Object.entries(metrics).map(([name, value]) => `${name}=${value.toFixed(4)}`).join(' ');
    return { metrics, predictions, note: `scored on the platform holdout (${holdout.features.rows} rows, ${task}): ${shown}` };
  }
}
