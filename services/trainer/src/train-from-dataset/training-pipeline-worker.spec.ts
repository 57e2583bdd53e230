import { featureMatrix, InvalidHyperparameters, InvalidTrainingData, LabeledDataset } from '@mlops/ml';
import { PipelineInput, runTrainingPipeline } from './training-pipeline';
import { runTrainingPipelineInWorker } from './training-pipeline-worker';

function input(overrides: Partial<PipelineInput> = {}): PipelineInput {
  const rows = 600;
  const values = new Float64Array(rows * 3);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    values[3 * r] = Math.sin(r * 1.7) * 4;
    values[3 * r + 1] = Math.cos(r * 0.31) * 2;
    values[3 * r + 2] = (r * 13) % 7;
    labels[r] = values[3 * r] + values[3 * r + 1] > 0.5 ? 1 : 0;
  }
  const dataset: LabeledDataset = { features: featureMatrix(values, 3, ['v__a', 'v__b', 'v__c']), labels };
  return {
    algorithm: 'gbdt_classifier',
    hyperparameters: { numIterations: 12, minChildSamples: 5 },
    split: { policy: 'random', holdoutFraction: 0.25 },
    seed: 4,
    dataset,
    ...overrides,
  };
}

describe('runTrainingPipelineInWorker', () => {
  it('gives exactly what the pipeline gives in the calling thread, with progress per boosting round', async () => {
    const inThread = runTrainingPipeline(input());
    const progress: [number, number][] = [];
    const inWorker = await runTrainingPipelineInWorker({ ...input(), onIteration: (iteration, total) => progress.push([iteration, total]) });
    expect(Buffer.from(inWorker.onnx).equals(Buffer.from(inThread.onnx))).toBe(true);
    expect(inWorker.metrics).toEqual(inThread.metrics);
    expect(inWorker.params).toEqual(inThread.params);
    expect(inWorker.lossCurve).toEqual(inThread.lossCurve);
    expect(inWorker.profile).toEqual(inThread.profile);
    expect(Array.from(inWorker.holdout.labels)).toEqual(Array.from(inThread.holdout.labels));
    expect(Array.from(inWorker.holdout.features.values)).toEqual(Array.from(inThread.holdout.features.values));
    expect(progress).toEqual(Array.from({ length: 12 }, (_, i) => [i + 1, 12]));
  });

  it('rethrows the pipeline refusals as the same error classes, so they count as permanent failures', async () => {
    await expect(runTrainingPipelineInWorker(input({ hyperparameters: { numIterations: -1 } }))).rejects.toThrow(InvalidHyperparameters);
    await expect(runTrainingPipelineInWorker(input({ split: { policy: 'time', holdoutFraction: 0.2 } }))).rejects.toThrow(InvalidTrainingData);
    await expect(runTrainingPipelineInWorker(input({ split: { policy: 'time', holdoutFraction: 0.2 } }))).rejects.toThrow(/needs a timestamp column/);
  });
});
