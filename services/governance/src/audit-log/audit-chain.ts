import type { AuditEntry, ChainBreak } from '@mlops/contracts';
import { canonicalJson, sha256Hex } from './canonical-json';

/** The previous hash of the first entry. */
export const GENESIS_SHA256 = '0'.repeat(64);

/** What an entry says, before it is chained: every field the content hash covers. */
export interface AuditContent {
  seq: number;
  eventId: string;
  eventType: string;
  source: string;
  subject: string;
  occurredAt: string;
  recordedAt: string;
  data: unknown;
}

export function contentOf(entry: AuditEntry): AuditContent {
  const { seq, eventId, eventType, source, subject, occurredAt, recordedAt, data } = entry;
  return { seq, eventId, eventType, source, subject, occurredAt, recordedAt, data };
}

export function contentSha256(content: AuditContent): string {
  return sha256Hex(canonicalJson(content));
}

/** SHA-256 of the 128 hex characters previous + content: `printf %s%s "$prev" "$content" | sha256sum`. */
export function linkSha256(previousSha256: string, contentHash: string): string {
  return sha256Hex(previousSha256 + contentHash);
}

export function chain(content: AuditContent, previousSha256: string): AuditEntry {
  const hash = contentSha256(content);
  return { ...content, contentSha256: hash, previousSha256, entrySha256: linkSha256(previousSha256, hash) };
}

export interface ChainHead {
  seq: number;
  entrySha256: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, entrySha256: GENESIS_SHA256 };

/**
 * Walks stored entries in seq order and recomputes every hash. After a break it carries on from the stored
 * values, so one altered row is counted once rather than breaking every link after it.
 */
export class ChainVerifier {
  private last: ChainHead = EMPTY_HEAD;
  private checked = 0;
  private readonly breaks: ChainBreak[] = [];

  feed(entry: AuditEntry): void {
    this.checked++;
    const found = this.check(entry);
    if (found) this.breaks.push(found);
    this.last = { seq: entry.seq, entrySha256: entry.entrySha256 };
  }

  /** `head` is what the appender recorded as the chain's end; a shorter chain lost entries at its end. */
  finish(head: ChainHead): { entriesChecked: number; firstBrokenLink: ChainBreak | null; brokenLinks: number } {
    if (head.seq !== this.last.seq || head.entrySha256 !== this.last.entrySha256) {
      this.breaks.push({
        seq: head.seq,
        kind: 'head-mismatch',
        detail: `the chain was last appended at entry ${head.seq} (${head.entrySha256}) but ends at entry ${this.last.seq} (${this.last.entrySha256})`,
      });
    }
    return { entriesChecked: this.checked, firstBrokenLink: this.breaks[0] ?? null, brokenLinks: this.breaks.length };
  }

  private check(entry: AuditEntry): ChainBreak | null {
    const { seq } = entry;
    if (seq !== this.last.seq + 1) {
      const missing = seq - this.last.seq - 1;
      return { seq: this.last.seq + 1, kind: 'missing-entries', detail: `${missing} entr${missing === 1 ? 'y' : 'ies'} missing before entry ${seq}` };
    }
    const recomputed = contentSha256(contentOf(entry));
    if (recomputed !== entry.contentSha256) {
      return { seq, kind: 'content-altered', detail: `entry ${seq} hashes to ${recomputed}, not its recorded ${entry.contentSha256}` };
    }
    if (entry.previousSha256 !== this.last.entrySha256) {
      return { seq, kind: 'link-broken', detail: `entry ${seq} links to ${entry.previousSha256}, but entry ${this.last.seq} is ${this.last.entrySha256}` };
    }
    const link = linkSha256(entry.previousSha256, entry.contentSha256);
    if (link !== entry.entrySha256) {
      return { seq, kind: 'entry-hash-altered', detail: `entry ${seq} should hash to ${link}, not ${entry.entrySha256}` };
    }
    return null;
  }
}
