import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PredictionJournal } from './prediction-journal';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';

function record(i: number): PredictionRecord {
  return {
    requestId: `r-${i}`,
    modelName: 'churn',
    version: 3,
    role: 'challenger',
    inputs: [{ name: 'X', datatype: 'FP64', shape: [1, 2], values: Float64Array.from([i, 0.25]) }],
    outputs: [{ name: 'label', datatype: 'BYTES', shape: [1], values: ['yes'] }],
    latencyMs: 1.5,
    at: new Date('2026-12-06T00:00:00Z'),
  };
}

const segments = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.journal'));

describe('PredictionJournal', () => {
  let dir: string;
  let ring: PredictionRing;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-'));
    ring = PredictionRing.ofSize(64 * 1024);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const append = (journal: PredictionJournal, r: PredictionRecord) => {
    const slot = ring.append(r)!;
    journal.append(ring.bytes, slot.at, slot.size);
  };

  it('keeps a segment per hand-over until its outcome is known', () => {
    const journal = PredictionJournal.open(dir);
    expect(journal.cut()).toBeNull();
    append(journal, record(1));
    append(journal, record(2));
    const first = journal.cut()!;
    append(journal, record(3));
    const second = journal.cut()!;
    expect(segments(dir)).toHaveLength(2);
    journal.settle(first);
    journal.settle(second);
    expect(segments(dir)).toEqual([]);
  });

  it('gives a later process the records whose outcome was never known, in order, and deletes them when told', () => {
    const before = PredictionJournal.open(dir);
    append(before, record(1));
    const settled = before.cut()!;
    append(before, record(2));
    before.cut();
    append(before, record(3));
    before.settle(settled);
    // No close: the process died here.
    const after = PredictionJournal.open(dir);
    expect(after.leftovers()).toEqual([record(2), record(3)]);
    append(after, record(2));
    after.discardLeftovers();
    expect(segments(dir)).toHaveLength(1);
    after.close();
    expect(PredictionJournal.open(dir).leftovers()).toEqual([record(2)]);
  });

  it('leaves out a record cut short by a write the process did not finish', () => {
    const before = PredictionJournal.open(dir);
    append(before, record(1));
    append(before, record(2));
    before.cut();
    truncateSync(join(dir, segments(dir)[0]), ring.append(record(0))!.size * 2 - 5);
    expect(PredictionJournal.open(dir).leftovers()).toEqual([record(1)]);
  });

  it('is refused while another live process holds the directory', () => {
    writeFileSync(join(dir, 'lock'), String(process.ppid));
    expect(() => PredictionJournal.open(dir)).toThrow(/prediction journal .* is in use by process/);
  });
});
