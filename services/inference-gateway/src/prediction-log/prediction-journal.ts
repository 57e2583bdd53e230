import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { lockDirectory, unlockDirectory } from './directory-lock';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';

const SEGMENT_SUFFIX = '.journal';

/**
 * Every prediction record on disk before its answer leaves: a gateway killed with kill -9 just after answering still
 * has the record, where memory alone (the ring, batched for the log worker) would have lost it. The request thread
 * appends each record's ring bytes to the open segment with one write call (about 1 µs here); the segment is cut when
 * its records are handed to the log worker and deleted once the worker says what became of them (published, spooled
 * or dropped and counted). So the journal holds only records whose outcome is not known yet: at most what the ring
 * holds. A process that starts finds the segments an earlier one left and logs their records again. A record the
 * worker published just before the kill may be published a second time: at least once, never lost. Written data
 * reaches the page cache: it survives the process, not the machine.
 */
export class PredictionJournal {
  private active: { seq: number; fd: number } | null = null;
  private nextSeq: number;
  private readonly leftSeqs: number[];

  private constructor(private readonly dir: string) {
    this.leftSeqs = readdirSync(dir)
      .filter((name) => name.endsWith(SEGMENT_SUFFIX))
      .map((name) => Number(name.slice(0, -SEGMENT_SUFFIX.length)))
      .filter((seq) => Number.isSafeInteger(seq))
      .sort((a, b) => a - b);
    this.nextSeq = (this.leftSeqs[this.leftSeqs.length - 1] ?? 0) + 1;
  }

  /** Takes the directory for this process (refused while another live process holds it). */
  static open(dir: string): PredictionJournal {
    mkdirSync(dir, { recursive: true });
    lockDirectory(dir, 'prediction journal');
    return new PredictionJournal(dir);
  }

  /** Records an earlier process journaled but never learned the outcome of, oldest first. */
  leftovers(): PredictionRecord[] {
    return this.leftSeqs.flatMap((seq) => {
      const file = readFileSync(this.path(seq));
      // A fresh buffer at offset 0, so the records' 8-byte aligned tensors can be viewed in place.
      return PredictionRing.readAll(new Uint8Array(file).buffer);
    });
  }

  /** Deletes the earlier process's segments, once their records are journaled again by this one. */
  discardLeftovers(): void {
    for (const seq of this.leftSeqs.splice(0)) unlinkSync(this.path(seq));
  }

  /** Appends one record's bytes to the open segment, opening one if none is. */
  append(bytes: Uint8Array, at: number, size: number): void {
    if (!this.active) {
      const seq = this.nextSeq++;
      this.active = { seq, fd: openSync(this.path(seq), 'a') };
    }
    for (let written = 0; written < size; ) written += writeSync(this.active.fd, bytes, at + written, size - written);
  }

  /** Closes the open segment, which holds the records handed over now; null when nothing was appended since the last cut. */
  cut(): number | null {
    const active = this.active;
    if (!active) return null;
    this.active = null;
    closeSync(active.fd);
    return active.seq;
  }

  /** The segment's records have their outcome. */
  settle(seq: number): void {
    unlinkSync(this.path(seq));
  }

  /** What is still unsettled stays on disk, for the next process. */
  close(): void {
    this.cut();
    unlockDirectory(this.dir);
  }

  private path(seq: number): string {
    return join(this.dir, `${String(seq).padStart(12, '0')}${SEGMENT_SUFFIX}`);
  }
}
