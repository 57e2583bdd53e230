import type { ServedSignature } from '../models/served-signature';
import { batchingApplies } from './session-runner';

const tabular = (features: number): ServedSignature => ({
  inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, features] }],
  outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
});
const defaults = { maxBatchSize: 32, maxQueueDelayUs: 500, maxRowElements: 1024 };

describe('which models get a dynamic batcher', () => {
  it('batches small tabular models by default and leaves bigger rows to one run per request', () => {
    expect(batchingApplies(tabular(20), defaults)).toBe(true);
    expect(batchingApplies(tabular(1024), defaults)).toBe(true);
    expect(batchingApplies(tabular(1025), defaults)).toBe(false);
    expect(batchingApplies(tabular(5000), { ...defaults, maxRowElements: 0 })).toBe(true);
  });

  it('counts the row elements of every input together', () => {
    const twoInputs: ServedSignature = { ...tabular(600), inputs: [...tabular(600).inputs, { name: 'Y', datatype: 'FP32', shape: [-1, 3, 200] }] };
    expect(batchingApplies(twoInputs, defaults)).toBe(false);
    expect(batchingApplies(twoInputs, { ...defaults, maxRowElements: 1200 })).toBe(true);
  });

  it('never batches when batching is off or the shapes have no free first dimension', () => {
    expect(batchingApplies(tabular(20), { ...defaults, maxBatchSize: 1 })).toBe(false);
    expect(batchingApplies(tabular(20), { ...defaults, maxBatchSize: 0 })).toBe(false);
    expect(batchingApplies({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20] }], outputs: tabular(20).outputs }, defaults)).toBe(false);
    expect(batchingApplies({ inputs: tabular(20).inputs, outputs: [{ name: 'p', datatype: 'FP32', shape: [-1, -1] }] }, defaults)).toBe(false);
  });
});
