import { holdoutRowIndices } from './holdout-split';

describe('holdoutRowIndices', () => {
  it('holds out the latest rows by timestamp under the time policy', () => {
    const timestamps = Float64Array.from([50, 10, 40, 20, 30]);
    const { train, holdout } = holdoutRowIndices(5, { policy: 'time', holdoutFraction: 0.4 }, 0, timestamps);
    expect(holdout.sort()).toEqual([0, 2]);
    expect(train.sort()).toEqual([1, 3, 4]);
  });

  it('draws the same disjoint rows for the same seed under the random policy', () => {
    const a = holdoutRowIndices(100, { policy: 'random', holdoutFraction: 0.2 }, 7, undefined);
    const b = holdoutRowIndices(100, { policy: 'random', holdoutFraction: 0.2 }, 7, undefined);
    expect(a).toEqual(b);
    expect(a.holdout).toHaveLength(20);
    expect(new Set([...a.train, ...a.holdout]).size).toBe(100);
    expect(holdoutRowIndices(100, { policy: 'random', holdoutFraction: 0.2 }, 8, undefined).holdout).not.toEqual(a.holdout);
  });
});
