import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { heartbeatDuring, reportAssignment, sessionConfig } from './group-membership';

describe('group membership', () => {
  it('gives kafkajs the session and heartbeat, or leaves its defaults', () => {
    expect(sessionConfig({ sessionTimeoutMs: 8000, heartbeatIntervalMs: 1000 })).toEqual({ sessionTimeout: 8000, heartbeatInterval: 1000 });
    expect(sessionConfig(undefined)).toEqual({});
  });

  it('reports the partitions held on joining, and 0 through a rebalance, a stop or a crash', () => {
    const emitter = new EventEmitter();
    const events = { GROUP_JOIN: 'join', REBALANCING: 'rebalancing', STOP: 'stop', CRASH: 'crash' };
    const consumer = { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) } as unknown as Consumer;
    const reported: number[] = [];
    reportAssignment(consumer, (partitions) => reported.push(partitions));
    emitter.emit('join', { payload: { memberAssignment: { a: [0, 1, 2], b: [4] } } });
    emitter.emit('rebalancing', {});
    emitter.emit('join', { payload: { memberAssignment: {} } });
    emitter.emit('stop', {});
    emitter.emit('crash', {});
    expect(reported).toEqual([4, 0, 0, 0, 0]);
  });

  it('heartbeats while long work runs and stops with it, ignoring a refused heartbeat', async () => {
    jest.useFakeTimers();
    try {
      let beats = 0;
      const heartbeat = async () => {
        if (++beats === 2) throw new Error('REBALANCE_IN_PROGRESS');
      };
      let finish!: (value: string) => void;
      const done = heartbeatDuring(() => new Promise<string>((resolve) => (finish = resolve)), heartbeat, { sessionTimeoutMs: 6000, heartbeatIntervalMs: 1000 });
      await jest.advanceTimersByTimeAsync(3500);
      expect(beats).toBe(3);
      finish('trained');
      await expect(done).resolves.toBe('trained');
      await jest.advanceTimersByTimeAsync(5000);
      expect(beats).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
