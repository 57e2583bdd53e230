import { ThrottledProgress } from './throttled-progress';

describe('ThrottledProgress', () => {
  it('writes the first report, then at most one per interval, and the last one on flush', async () => {
    let clock = 0;
    const writes: [number, number][] = [];
    const progress = new ThrottledProgress(async (i, t) => void writes.push([i, t]), () => undefined, 1000, () => clock);
    progress.report(1, 100);
    await Promise.resolve();
    for (let i = 2; i <= 50; i++) {
      clock += 30;
      progress.report(i, 100);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(writes).toEqual([
      [1, 100],
      [35, 100],
    ]);
    await progress.flush();
    expect(writes.at(-1)).toEqual([50, 100]);
    await progress.flush();
    expect(writes).toHaveLength(3);
  });

  it('never runs two writes at once and reports a failed write without throwing', async () => {
    let clock = 0;
    let running = 0;
    let overlapped = false;
    const errors: unknown[] = [];
    let release!: () => void;
    const progress = new ThrottledProgress(
      async () => {
        running++;
        overlapped ||= running > 1;
        await new Promise<void>((resolve) => (release = resolve));
        running--;
        throw new Error('postgres went away');
      },
      (err) => errors.push(err),
      10,
      () => clock,
    );
    progress.report(1, 5);
    clock += 100;
    progress.report(2, 5);
    release();
    const flushed = progress.flush();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await flushed;
    expect(overlapped).toBe(false);
    expect(errors).toHaveLength(2);
  });
});
