import { JsonLogger } from '@mlops/observability';
import { PollingTicker } from './polling-ticker';

const EVERY_MS = 100;

/** A pass that stays under way until the test settles it. */
function heldPass() {
  const settles: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const pass = jest.fn(() => new Promise<void>((resolve, reject) => settles.push({ resolve, reject })));
  return { pass, settle: (index: number) => settles[index] };
}

function ticker(pass: () => Promise<unknown>, started = () => true) {
  const log = new JsonLogger({ service: 'trainer', level: 'silent' });
  const warn = jest.spyOn(log, 'warn');
  return { ticker: new PollingTicker({ everyMs: EVERY_MS, runtime: { isStarted: started }, pass, doing: 'firing due schedules', log }), warn };
}

describe('PollingTicker', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes on every tick once the service has started, never before', async () => {
    let started = false;
    const pass = jest.fn(() => Promise.resolve());
    const { ticker: t } = ticker(pass, () => started);
    t.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(3 * EVERY_MS);
    expect(pass).not.toHaveBeenCalled();

    started = true;
    await jest.advanceTimersByTimeAsync(EVERY_MS - 1);
    expect(pass).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(pass).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2 * EVERY_MS);
    expect(pass).toHaveBeenCalledTimes(3);
    await t.onApplicationShutdown();
  });

  it('starts no second pass while one is under way', async () => {
    const { pass, settle } = heldPass();
    const { ticker: t } = ticker(pass);
    t.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(5 * EVERY_MS);
    expect(pass).toHaveBeenCalledTimes(1);

    settle(0).resolve();
    await jest.advanceTimersByTimeAsync(EVERY_MS);
    expect(pass).toHaveBeenCalledTimes(2);
    settle(1).resolve();
    await t.onApplicationShutdown();
  });

  it('logs a failed pass and tries again on the next tick', async () => {
    const pass = jest.fn().mockRejectedValueOnce(new Error('database unreachable')).mockResolvedValue(undefined);
    const { ticker: t, warn } = ticker(pass);
    t.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(EVERY_MS);
    expect(warn).toHaveBeenCalledWith('firing due schedules failed, retrying next tick: database unreachable');

    await jest.advanceTimersByTimeAsync(EVERY_MS);
    expect(pass).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);
    await t.onApplicationShutdown();
  });

  it('at shutdown stops ticking and waits for the pass under way', async () => {
    const { pass, settle } = heldPass();
    const { ticker: t } = ticker(pass);
    t.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(EVERY_MS);

    let shutDown = false;
    const shutdown = t.onApplicationShutdown().then(() => (shutDown = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(shutDown).toBe(false);

    settle(0).resolve();
    await shutdown;
    await jest.advanceTimersByTimeAsync(5 * EVERY_MS);
    expect(pass).toHaveBeenCalledTimes(1);
  });

  it('does not keep the process alive', async () => {
    const setInterval = jest.spyOn(global, 'setInterval');
    const { ticker: t } = ticker(() => Promise.resolve());
    t.onApplicationBootstrap();

    const timer = setInterval.mock.results[0].value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await t.onApplicationShutdown();
    setInterval.mockRestore();
  });
});
