import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogMessage } from './prediction-batch-publisher';
import { PredictionSpool } from './prediction-spool';
import { SpoolProgress, SpoolReplay } from './spool-replay';

const message = (i: number): LogMessage => ({ key: 'churn', value: Buffer.from(JSON.stringify({ requestId: `r-${i}` })) });
const ids = (messages: LogMessage[]) => messages.map((m) => JSON.parse(String(m.value)).requestId as string);
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

/** A broker the test takes away and brings back. */
class Broker {
  up = false;
  readonly received: LogMessage[] = [];
  async send(messages: LogMessage[]): Promise<void> {
    if (!this.up) throw new Error('broker unreachable');
    this.received.push(...messages);
  }
}

describe('SpoolReplay', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'spool-replay-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function replayOn(broker: Broker, progress: SpoolProgress[] = []): SpoolReplay {
    return new SpoolReplay(PredictionSpool.open({ dir, maxBytes: 1 << 20 }), {
      send: (messages) => broker.send(messages),
      onProgress: (p) => progress.push(p),
      onError: () => undefined,
      retryMs: 10,
      sendBytes: 100,
    });
  }

  it('holds records while the broker is away and sends them all, in order, once it is back', async () => {
    const broker = new Broker();
    const progress: SpoolProgress[] = [];
    const replay = replayOn(broker, progress);
    replay.start();
    expect(replay.holding()).toBe(false);
    expect(replay.keep([0, 1, 2].map(message))).toBe(3);
    expect(replay.holding()).toBe(true);
    await settle();
    replay.keep([3, 4].map(message));
    expect(broker.received).toEqual([]);
    broker.up = true;
    await settle();
    expect(ids(broker.received)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    expect(replay.holding()).toBe(false);
    expect(progress.reduce((total, p) => total + p.replayed, 0)).toBe(5);
    expect(progress[progress.length - 1].bytes).toBe(0);
    await replay.stop();
  });

  it('replays at start what an earlier process left on disk, exactly once', async () => {
    const away = new Broker();
    const first = replayOn(away);
    first.keep([0, 1, 2, 3].map(message));
    await first.stop();

    const broker = new Broker();
    broker.up = true;
    const second = replayOn(broker);
    second.start();
    await settle();
    expect(ids(broker.received)).toEqual(['r-0', 'r-1', 'r-2', 'r-3']);
    await second.stop();

    const third = replayOn(broker);
    third.start();
    await settle();
    expect(broker.received).toHaveLength(4);
    await third.stop();
  });
});
