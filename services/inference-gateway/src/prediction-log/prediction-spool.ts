import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { lockDirectory, unlockDirectory } from './directory-lock';
import type { LogMessage } from './prediction-batch-publisher';

export interface SpoolOptions {
  dir: string;
  /** Bytes the segment files may hold together; a record that would pass it is not kept. */
  maxBytes: number;
  /** A segment is closed and a new one begun past this size, so acknowledged records leave the disk in steps. */
  segmentBytes?: number;
}

/** A run of records read from the head of the spool; acknowledge it once Kafka has them. */
export interface SpoolChunk {
  messages: LogMessage[];
  bytes: number;
}

interface Segment {
  seq: number;
  size: number;
}

/** keyLength, valueLength: big-endian 32-bit, before the key and value bytes. */
const HEADER_BYTES = 8;
const SEGMENT_SUFFIX = '.seg';
const ACKED_SUFFIX = '.acked';

/**
 * Prediction log records the broker could not take, on disk until it can: append-only segment files of
 * length-prefixed key/value records, read back from the oldest in the order written. A segment is deleted once all
 * of it is acknowledged; how far into the oldest segment Kafka has acknowledged is kept beside it, so a process that
 * restarts replays from there rather than from the segment's start. A record cut short by a crash while written is
 * cut off when the spool is opened again. Synchronous file calls: it runs on the prediction log worker, not on the
 * thread that answers requests. Written data reaches the page cache, not necessarily the platter: it survives the
 * process, not the machine.
 */
export class PredictionSpool {
  private readonly segments: Segment[] = [];
  private readonly segmentBytes: number;
  /** The newest segment, open for appending; none until the first append of this process. */
  private active: { seq: number; fd: number } | null = null;
  /** Bytes of the oldest segment already acknowledged. */
  private headOffset = 0;
  private diskBytes = 0;

  private constructor(private readonly options: SpoolOptions) {
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
  }

  /** Takes the directory for this process (refused while another live process holds it) and finds what was left. */
  static open(options: SpoolOptions): PredictionSpool {
    const spool = new PredictionSpool(options);
    mkdirSync(options.dir, { recursive: true });
    lockDirectory(options.dir, 'prediction spool');
    spool.recover();
    return spool;
  }

  /** Bytes on disk, acknowledged parts of the oldest segment included. */
  get bytes(): number {
    return this.diskBytes;
  }

  isEmpty(): boolean {
    return this.segments.every((segment, i) => (i === 0 ? segment.size === this.headOffset : segment.size === 0));
  }

  /** Appends the messages in order while they fit under the bound; returns how many it kept (a prefix). */
  append(messages: LogMessage[]): number {
    const records: Buffer[] = [];
    let bytes = 0;
    for (const message of messages) {
      const key = Buffer.from(message.key);
      const size = HEADER_BYTES + key.length + message.value.length;
      if (this.diskBytes + bytes + size > this.options.maxBytes) break;
      const header = Buffer.allocUnsafe(HEADER_BYTES);
      header.writeUInt32BE(key.length, 0);
      header.writeUInt32BE(message.value.length, 4);
      records.push(header, key, message.value);
      bytes += size;
    }
    if (bytes === 0) return 0;
    const segment = this.writable();
    const data = Buffer.concat(records, bytes);
    let written = 0;
    while (written < data.length) written += writeSync(segment.fd, data, written);
    this.segments[this.segments.length - 1].size += bytes;
    this.diskBytes += bytes;
    if (this.segments[this.segments.length - 1].size >= this.segmentBytes) this.seal();
    return records.length / 3;
  }

  /** The oldest records not yet acknowledged, about maxBytes of them (at least one); null when there are none. */
  peek(maxBytes: number): SpoolChunk | null {
    this.dropExhaustedHead();
    const head = this.segments[0];
    if (!head || head.size === this.headOffset) return null;
    const available = head.size - this.headOffset;
    const fd = openSync(this.segmentPath(head.seq), 'r');
    try {
      let buffer = readAt(fd, this.headOffset, Math.min(available, Math.max(maxBytes, HEADER_BYTES)));
      const first = recordSize(buffer, 0);
      if (first !== null && first > buffer.length) buffer = readAt(fd, this.headOffset, first);
      const messages: LogMessage[] = [];
      let offset = 0;
      for (let size = recordSize(buffer, offset); size !== null && offset + size <= buffer.length; size = recordSize(buffer, offset)) {
        if (messages.length > 0 && offset + size > maxBytes) break;
        const keyLength = buffer.readUInt32BE(offset);
        const key = buffer.toString('utf8', offset + HEADER_BYTES, offset + HEADER_BYTES + keyLength);
        messages.push({ key, value: buffer.subarray(offset + HEADER_BYTES + keyLength, offset + size) });
        offset += size;
      }
      return { messages, bytes: offset };
    } finally {
      closeSync(fd);
    }
  }

  /** The chunk last peeked is in Kafka: it is never read again, by this process or the next. */
  acknowledge(chunk: SpoolChunk): void {
    const head = this.segments[0];
    this.headOffset += chunk.bytes;
    if (head.size === this.headOffset) this.dropExhaustedHead();
    else writeFileSync(this.ackedPath(head.seq), String(this.headOffset));
  }

  close(): void {
    this.seal();
    unlockDirectory(this.options.dir);
  }

  /** Segments left by an earlier process, oldest first; the newest may end in a record cut short, which is cut off. */
  private recover(): void {
    const seqs = readdirSync(this.options.dir)
      .filter((name) => name.endsWith(SEGMENT_SUFFIX))
      .map((name) => Number(name.slice(0, -SEGMENT_SUFFIX.length)))
      .filter((seq) => Number.isSafeInteger(seq))
      .sort((a, b) => a - b);
    for (const seq of seqs) this.segments.push({ seq, size: statSync(this.segmentPath(seq)).size });
    const newest = this.segments[this.segments.length - 1];
    if (newest) {
      const whole = wholeRecordsLength(readFileSync(this.segmentPath(newest.seq)));
      if (whole < newest.size) truncateSync(this.segmentPath(newest.seq), whole);
      newest.size = whole;
    }
    this.diskBytes = this.segments.reduce((total, segment) => total + segment.size, 0);
    const head = this.segments[0];
    if (head && existsSync(this.ackedPath(head.seq))) this.headOffset = Math.min(head.size, Number(readFileSync(this.ackedPath(head.seq), 'utf8')) || 0);
  }

  private writable(): { seq: number; fd: number } {
    if (!this.active) {
      const seq = (this.segments[this.segments.length - 1]?.seq ?? 0) + 1;
      this.active = { seq, fd: openSync(this.segmentPath(seq), 'a') };
      this.segments.push({ seq, size: 0 });
    }
    return this.active;
  }

  private seal(): void {
    if (!this.active) return;
    closeSync(this.active.fd);
    this.active = null;
  }

  /** Deletes the oldest segments wholly acknowledged (or empty); the next append begins a new one. */
  private dropExhaustedHead(): void {
    for (let head = this.segments[0]; head && head.size === this.headOffset; head = this.segments[0]) {
      if (this.active?.seq === head.seq) this.seal();
      unlinkSync(this.segmentPath(head.seq));
      if (existsSync(this.ackedPath(head.seq))) unlinkSync(this.ackedPath(head.seq));
      this.diskBytes -= head.size;
      this.segments.shift();
      this.headOffset = 0;
    }
  }

  private segmentPath(seq: number): string {
    return join(this.options.dir, `${String(seq).padStart(12, '0')}${SEGMENT_SUFFIX}`);
  }

  private ackedPath(seq: number): string {
    return join(this.options.dir, `${String(seq).padStart(12, '0')}${ACKED_SUFFIX}`);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buffer.subarray(0, read);
}

/** The size of the record at offset, or null when not even its header is there. */
function recordSize(buffer: Buffer, offset: number): number | null {
  if (offset + HEADER_BYTES > buffer.length) return null;
  return HEADER_BYTES + buffer.readUInt32BE(offset) + buffer.readUInt32BE(offset + 4);
}

function wholeRecordsLength(buffer: Buffer): number {
  let offset = 0;
  for (let size = recordSize(buffer, 0); size !== null && offset + size <= buffer.length; size = recordSize(buffer, offset)) offset += size;
  return offset;
}
