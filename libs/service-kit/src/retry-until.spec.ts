import { retryUntil, StartupCancelled } from './retry-until';

describe('retryUntil', () => {
  const quiet = { warn: jest.fn() };

  it('keeps trying until the step succeeds and returns its value', async () => {
    let calls = 0;
    const value = await retryUntil('db', async () => {
      calls += 1;
      if (calls < 3) throw new Error('connection refused');
      return 'connected';
    }, quiet, { initialDelayMs: 1, maxDelayMs: 2, isCancelled: () => false });
    expect(value).toBe('connected');
    expect(calls).toBe(3);
    expect(quiet.warn).toHaveBeenCalledWith(expect.stringContaining('db not available yet (connection refused)'));
  });

  it('stops when the service is shutting down', async () => {
    let cancelled = false;
    const attempt = retryUntil('kafka', async () => {
      cancelled = true;
      throw new Error('down');
    }, quiet, { initialDelayMs: 1, maxDelayMs: 1, isCancelled: () => cancelled });
    await expect(attempt).rejects.toBeInstanceOf(StartupCancelled);
  });
});
