import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogMessage } from './prediction-batch-publisher';
import { PredictionSpool, SpoolChunk } from './prediction-spool';

const message = (i: number, model = 'churn'): LogMessage => ({ key: model, value: Buffer.from(JSON.stringify({ requestId: `r-${i}`, pad: 'x'.repeat(40) })) });
const ids = (messages: LogMessage[]) => messages.map((m) => JSON.parse(String(m.value)).requestId as string);
/** Each record: 8 header bytes, the key, the value. */
const recordBytes = (m: LogMessage) => 8 + Buffer.byteLength(m.key) + m.value.length;

/** Reads and acknowledges everything, as the replay does once the broker is back. */
function drain(spool: PredictionSpool, maxBytes = 300): string[] {
  const seen: string[] = [];
  for (let chunk: SpoolChunk | null = spool.peek(maxBytes); chunk; chunk = spool.peek(maxBytes)) {
    seen.push(...ids(chunk.messages));
    spool.acknowledge(chunk);
  }
  return seen;
}

describe('PredictionSpool', () => {
  let dir: string;

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prediction-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives records back in the order written, across segments, and deletes the segments once acknowledged', () => {
    const spool = PredictionSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 500 });
    for (let batch = 0; batch < 10; batch++) expect(spool.append([0, 1, 2].map((i) => message(batch * 3 + i)))).toBe(3);
    expect(readdirSync(dir).filter((name) => name.endsWith('.seg')).length).toBeGreaterThan(2);
    expect(spool.isEmpty()).toBe(false);
    expect(drain(spool)).toEqual(Array.from({ length: 30 }, (_, i) => `r-${i}`));
    expect(spool.isEmpty()).toBe(true);
    expect(spool.bytes).toBe(0);
    expect(readdirSync(dir).filter((name) => name !== 'lock')).toEqual([]);
  });

  it('keeps records appended while it is read, after those already there', () => {
    const spool = PredictionSpool.open({ dir, maxBytes: 1 << 20 });
    spool.append([message(0), message(1)]);
    const first = spool.peek(1)!;
    expect(ids(first.messages)).toEqual(['r-0']);
    spool.append([message(2)]);
    spool.acknowledge(first);
    expect(drain(spool)).toEqual(['r-1', 'r-2']);
  });

  it('stops at its bound, keeping the records that fit (a prefix) and counting the bytes on disk', () => {
    const one = recordBytes(message(0));
    const spool = PredictionSpool.open({ dir, maxBytes: one * 5 + 3 });
    expect(spool.append([0, 1, 2].map((i) => message(i)))).toBe(3);
    expect(spool.append([3, 4, 5, 6].map((i) => message(i)))).toBe(2);
    expect(spool.bytes).toBe(one * 5);
    expect(spool.append([message(7)])).toBe(0);
    expect(drain(spool)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    expect(spool.append([message(8)])).toBe(1);
  });

  it('replays after a restart from the files left on disk, from where Kafka last acknowledged, exactly once', () => {
    const before = PredictionSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 400 });
    before.append(Array.from({ length: 12 }, (_, i) => message(i)));
    before.append(Array.from({ length: 12 }, (_, i) => message(12 + i)));
    const acknowledged = before.peek(200)!;
    before.acknowledge(acknowledged);
    // No close(): the process was killed.

    const after = PredictionSpool.open({ dir, maxBytes: 1 << 20, segmentBytes: 400 });
    after.append([message(24)]);
    const replayed = drain(after);
    expect(replayed).toEqual(Array.from({ length: 25 }, (_, i) => `r-${i}`).slice(acknowledged.messages.length));
  });

  it('cuts off a record a crash left half written, keeping every whole record before it', () => {
    const before = PredictionSpool.open({ dir, maxBytes: 1 << 20 });
    before.append([message(0), message(1)]);
    const segment = readdirSync(dir).find((name) => name.endsWith('.seg'))!;
    appendFileSync(join(dir, segment), Buffer.from([0, 0, 0, 5, 0, 0, 1, 0, 99, 99]));

    const after = PredictionSpool.open({ dir, maxBytes: 1 << 20 });
    expect(after.bytes).toBe(recordBytes(message(0)) * 2);
    after.append([message(2)]);
    expect(drain(after)).toEqual(['r-0', 'r-1', 'r-2']);
  });

  it('refuses a directory another live process holds, and takes over one whose holder is gone', () => {
    writeFileSync(join(dir, 'lock'), String(process.ppid));
    expect(() => PredictionSpool.open({ dir, maxBytes: 1000 })).toThrow(/in use by process/);
    writeFileSync(join(dir, 'lock'), '999999999');
    expect(() => PredictionSpool.open({ dir, maxBytes: 1000 })).not.toThrow();
  });
});
