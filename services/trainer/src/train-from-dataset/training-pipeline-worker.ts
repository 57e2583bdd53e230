import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidHyperparameters, InvalidTrainingData } from '@mlops/ml';
import type { PipelineInput, PipelineResult } from './training-pipeline';
import type { SerializedError, WorkerMessage } from './training-worker';

const WORKER_FILE = join(__dirname, `training-worker${extname(__filename)}`);

/**
 * Runs the (CPU-bound) training pipeline on a worker thread, so the service's event loop keeps answering
 * HTTP, Kafka heartbeats and progress queries while a model trains. Progress arrives through `onIteration`.
 * The dataset's buffers are moved to the worker, not copied: the caller must not use `input.dataset` after.
 */
export function runTrainingPipelineInWorker(input: PipelineInput): Promise<PipelineResult> {
  const { onIteration, ...data } = input;
  const transferList = [data.dataset.features.values.buffer, data.dataset.labels.buffer, ...(data.timestamps ? [data.timestamps.buffer] : [])] as ArrayBuffer[];
  const entry = workerEntry();
  const worker = new Worker(entry.code, { eval: entry.eval, workerData: data, transferList: [...new Set(transferList)] });
  return new Promise<PipelineResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onIteration?.(message.iteration, message.total);
      else if (message.kind === 'result') settle(() => resolve(message.result));
      else settle(() => reject(deserialize(message.error)));
    });
    worker.once('error', (err) => settle(() => reject(err)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the training worker exited with code ${code} before it answered`))));
  });
}

/**
 * Under `node -r @swc-node/register` (how services run) the worker inherits the TypeScript hook through
 * execArgv; under jest, which transforms only its own module registry, the worker registers the hook itself.
 */
function workerEntry(): { code: string; eval: boolean } {
  if (extname(WORKER_FILE) !== '.ts') return { code: WORKER_FILE, eval: false };
  return { code: `require('@swc-node/register'); require(${JSON.stringify(WORKER_FILE)});`, eval: true };
}

function deserialize(error: SerializedError): Error {
  switch (error.name) {
    case 'InvalidTrainingData':
      return new InvalidTrainingData(error.reason);
    case 'InvalidHyperparameters':
      return new InvalidHyperparameters(error.issues);
    default: {
      const err = new Error(`training failed: ${error.message}`);
      if (error.stack) err.stack = error.stack;
      return err;
    }
  }
}
