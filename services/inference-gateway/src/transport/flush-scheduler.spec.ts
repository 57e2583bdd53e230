import { Flushable, FlushScheduler } from './flush-scheduler';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('FlushScheduler', () => {
  it('flushes the connections scheduled in a turn together after it, in the order they were scheduled', async () => {
    const scheduler = new FlushScheduler();
    const flushed: string[] = [];
    const connection = (name: string): Flushable => ({ flush: () => flushed.push(name) });
    scheduler.schedule(connection('a'));
    scheduler.schedule(connection('b'));
    await Promise.resolve();
    expect(flushed).toEqual([]);
    scheduler.schedule(connection('c'));
    await turn();
    expect(flushed).toEqual(['a', 'b', 'c']);
    await turn();
    expect(flushed).toEqual(['a', 'b', 'c']);
  });

  it('flushes in the next turn a connection scheduled by the promise jobs a flush started (a pipelined answer)', async () => {
    const scheduler = new FlushScheduler();
    const flushed: string[] = [];
    const second: Flushable = { flush: () => flushed.push('second') };
    scheduler.schedule({
      flush: () => {
        flushed.push('first');
        void Promise.resolve().then(() => scheduler.schedule(second));
      },
    });
    await turn();
    expect(flushed).toEqual(['first']);
    await turn();
    expect(flushed).toEqual(['first', 'second']);
  });
});
