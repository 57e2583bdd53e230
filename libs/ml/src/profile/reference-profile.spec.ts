import { buildReferenceProfile, featureMatrixColumns, quantile } from './build-reference-profile';
import { withHoldoutCalibration } from './holdout-calibration';
import { ReferenceProfile } from './reference-profile.schema';
import { featureMatrix } from '../training/dataset';

describe('buildReferenceProfile', () => {
  const profile = buildReferenceProfile(
    [
      { name: 'amount', kind: 'numeric', values: [5, 1, null, 3, NaN, 2, 4] },
      { name: 'country', kind: 'categorical', values: ['a', 'b', 'a', null, 'c', 'a', 'b'] },
    ],
    [{ name: 'probability', kind: 'numeric', values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] }],
    { bins: 2, quantiles: [0, 0.25, 0.5, 1], topCategories: 2 },
  );

  it('profiles numeric columns: counts, moments, quantiles and equal-frequency bins', () => {
    expect(profile.rowCount).toBe(7);
    expect(profile.features[0]).toEqual({
      name: 'amount',
      kind: 'numeric',
      count: 5,
      nullCount: 2,
      min: 1,
      max: 5,
      mean: 3,
      std: Math.sqrt(2),
      quantiles: [
        { q: 0, value: 1 },
        { q: 0.25, value: 2 },
        { q: 0.5, value: 3 },
        { q: 1, value: 5 },
      ],
      bins: [
        { upper: 3, count: 3 },
        { upper: null, count: 2 },
      ],
      sample: [1, 2, 3, 4, 5],
      distinct: 5,
    });
  });

  it('profiles categorical columns: top frequencies, the rest and nulls', () => {
    expect(profile.features[1]).toEqual({
      name: 'country',
      kind: 'categorical',
      count: 6,
      nullCount: 1,
      frequencies: [
        { value: 'a', count: 3 },
        { value: 'b', count: 2 },
      ],
      otherCount: 1,
    });
  });

  it('profiles predictions and round-trips through the schema as JSON', () => {
    expect(profile.predictions[0].name).toBe('probability');
    expect(ReferenceProfile.parse(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
  });

  it('profiles the columns of a feature matrix, NaN counted as null', () => {
    const matrix = featureMatrix(Float64Array.from([1, NaN, 2, 5]), 2, ['x', 'y']);
    const p = buildReferenceProfile(featureMatrixColumns(matrix), []);
    expect(p.features.map((c) => [c.name, c.count, c.nullCount])).toEqual([
      ['x', 2, 0],
      ['y', 1, 1],
    ]);
  });

  it('refuses columns of different lengths', () => {
    expect(() => buildReferenceProfile([{ name: 'a', kind: 'numeric', values: [1] }], [{ name: 'p', kind: 'numeric', values: [1, 2] }])).toThrow(
      'column p has 2 rows, expected 1',
    );
  });

  it('interpolates quantiles linearly like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20], 0.1)).toBeCloseTo(11, 12);
  });

  it('keeps every value of a small column as the drift reference, and 1000 mid-quantiles of a large one', () => {
    const large = Float64Array.from({ length: 5001 }, (_, i) => i);
    const column = buildReferenceProfile([{ name: 'x', kind: 'numeric', values: large }], []).features[0];
    if (column.kind !== 'numeric') throw new Error('expected a numeric column');
    expect(column.sample).toHaveLength(1000);
    expect(column.sample?.[0]).toBeCloseTo(2.5, 9);
    expect(column.sample?.[999]).toBeCloseTo(4997.5, 9);
    expect(column.distinct).toBe(5001);
  });

  it('adds a thinned labelled holdout for estimating performance without labels', () => {
    const labels = Float64Array.from({ length: 12000 }, (_, i) => i % 2);
    const scores = Float64Array.from({ length: 12000 }, (_, i) => (i % 100) / 100);
    const withHoldout = withHoldoutCalibration(profile, labels, scores);
    expect(withHoldout.holdout?.rowCount).toBe(12000);
    expect(withHoldout.holdout?.scores).toHaveLength(5000);
    expect(withHoldout.holdout?.labels.slice(0, 3)).toEqual([0, 0, 0]);
    expect(ReferenceProfile.parse(JSON.parse(JSON.stringify(withHoldout)))).toEqual(withHoldout);
  });
});
