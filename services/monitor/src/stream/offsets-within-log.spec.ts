import { offsetsWithinLog } from './offsets-within-log';

const PREDICTIONS = 'mlops.predictions.logged';
const LABELS = 'mlops.labels.observed';

describe('offsetsWithinLog', () => {
  const bounds = {
    earliest: new Map([
      [PREDICTIONS, [0n, 40n]],
      [LABELS, [0n]],
    ]),
    latest: new Map([
      [PREDICTIONS, [100n, 90n]],
      [LABELS, [5n]],
    ]),
  };

  it('keeps offsets the log holds, its end included', () => {
    const stored = { offsets: new Map([[`${PREDICTIONS}:0`, 100], [`${LABELS}:0`, 3]]), joinFrom: new Map([[0, 60]]) };
    expect(offsetsWithinLog(stored, bounds, PREDICTIONS)).toEqual({ offsets: stored.offsets, joinFrom: stored.joinFrom, moved: [] });
  });

  it('reads a topic made again from its start, and a partition past retention from its first record', () => {
    const stored = {
      offsets: new Map([[`${PREDICTIONS}:0`, 5453], [`${PREDICTIONS}:1`, 12], [`${LABELS}:0`, 2400]]),
      joinFrom: new Map([[0, 5000], [1, 10]]),
    };
    const result = offsetsWithinLog(stored, bounds, PREDICTIONS);
    expect(result.offsets).toEqual(new Map([[`${PREDICTIONS}:0`, 0], [`${PREDICTIONS}:1`, 40], [`${LABELS}:0`, 0]]));
    expect(result.joinFrom).toEqual(new Map());
    expect(result.moved).toEqual([
      `${PREDICTIONS}:0 5453 -> 0 (log holds 0-100)`,
      `${PREDICTIONS}:1 12 -> 40 (log holds 40-90)`,
      `${LABELS}:0 2400 -> 0 (log holds 0-5)`,
    ]);
  });

  it('leaves partitions the broker did not answer for as they are', () => {
    const stored = { offsets: new Map([[`${PREDICTIONS}:7`, 9]]), joinFrom: new Map([[7, 3]]) };
    expect(offsetsWithinLog(stored, bounds, PREDICTIONS).offsets.get(`${PREDICTIONS}:7`)).toBe(9);
  });
});
