import { parentPort, workerData } from 'node:worker_threads';
import { InvalidHyperparameters, InvalidTrainingData } from '@mlops/ml';
import { PipelineInput, PipelineResult, runTrainingPipeline } from './training-pipeline';

/** What the worker sends back to the thread that started it. */
export type WorkerMessage =
  | { kind: 'progress'; iteration: number; total: number }
  | { kind: 'result'; result: PipelineResult }
  | { kind: 'error'; error: SerializedError };

export type SerializedError =
  | { name: 'InvalidTrainingData'; reason: string }
  | { name: 'InvalidHyperparameters'; issues: { field: string; reason: string }[] }
  | { name: 'Error'; message: string; stack?: string };

function serialize(err: unknown): SerializedError {
  if (err instanceof InvalidTrainingData) return { name: 'InvalidTrainingData', reason: err.reason };
  if (err instanceof InvalidHyperparameters) return { name: 'InvalidHyperparameters', issues: err.issues };
  const error = err instanceof Error ? err : new Error(String(err));
  return { name: 'Error', message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}

const port = parentPort;
if (port) {
  try {
    const input = workerData as Omit<PipelineInput, 'onIteration'>;
    const result = runTrainingPipeline({ ...input, onIteration: (iteration, total) => port.postMessage({ kind: 'progress', iteration, total } satisfies WorkerMessage) });
    const transfer = [result.onnx.buffer, result.holdout.features.values.buffer, result.holdout.labels.buffer] as ArrayBuffer[];
    port.postMessage({ kind: 'result', result } satisfies WorkerMessage, transfer);
  } catch (err) {
    port.postMessage({ kind: 'error', error: serialize(err) } satisfies WorkerMessage);
  }
}
