import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay and stops at the cap', () => {
    const policy = { initialBackoffMs: 200, maxBackoffMs: 5000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffDelay(retry, policy))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('never exceeds a cap below the initial delay', () => {
    expect(backoffDelay(1, { initialBackoffMs: 1000, maxBackoffMs: 300 })).toBe(300);
  });
});
