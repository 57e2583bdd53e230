/** A logged single-row prediction waiting for its label. */
export interface JoinEntry {
  windowKey: string;
  version: number;
  role: 'champion' | 'challenger' | 'shadow';
  seq: number;
  score: number;
  partition: number;
  offset: number;
  atMs: number;
}

/** A label that arrived before its prediction was consumed. */
export interface PendingLabel {
  requestId: string;
  modelName: string;
  label: number | string | boolean;
  receivedAtMs: number;
}

const SHADOW_SUFFIX = '\u0000shadow';

/** A shadow scores the very request the champion answered, under the same id: both wait for its one label. */
function joinKey(requestId: string, role: JoinEntry['role']): string {
  return role === 'shadow' ? requestId + SHADOW_SUFFIX : requestId;
}

/**
 * Predictions by request id, bounded by a horizon and a count. It is not checkpointed: on restart the predictions
 * still inside the horizon are read again from Kafka, from the offset `oldestOffsets` reports, which is cheaper than
 * writing every prediction to Postgres.
 *
 * Age order is kept in a queue beside the map rather than taken from the map's own order: V8 leaves a deleted entry's
 * slot in place until the table is rebuilt, so finding a map's oldest key after many deletions walks every one of
 * them (about 47 us a prediction once a 100k join is full). Queue slots whose entry was taken or replaced are stale
 * and skipped when they reach the front.
 */
export class LabelJoin {
  private readonly entries = new Map<string, JoinEntry>();
  private queueKeys: string[] = [];
  private queueEntries: JoinEntry[] = [];
  private head = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(requestId: string, entry: JoinEntry): void {
    const key = joinKey(requestId, entry.role);
    this.entries.set(key, entry);
    this.queueKeys.push(key);
    this.queueEntries.push(entry);
    while (this.entries.size > this.maxEntries) this.dropOldest();
    this.compact();
  }

  /** Every prediction of the request still waiting: the one that answered it and, if it was shadowed, the shadow's. */
  take(requestId: string): JoinEntry[] {
    const taken: JoinEntry[] = [];
    for (const key of [requestId, requestId + SHADOW_SUFFIX]) {
      const entry = this.entries.get(key);
      if (!entry) continue;
      this.entries.delete(key);
      taken.push(entry);
    }
    return taken;
  }

  /** Drops predictions older than the horizon; returns how many left without a label. */
  expire(nowMs: number): number {
    let expired = 0;
    while (this.head < this.queueKeys.length) {
      const entry = this.queueEntries[this.head];
      const live = this.entries.get(this.queueKeys[this.head]) === entry;
      if (live && entry.atMs >= nowMs - this.horizonMs) break;
      if (live) {
        this.entries.delete(this.queueKeys[this.head]);
        expired++;
      }
      this.head++;
    }
    this.compact();
    return expired;
  }

  /** Per partition, the offset of its oldest prediction still waiting: where a restart must read from. */
  oldestOffsets(): Map<number, number> {
    const oldest = new Map<number, number>();
    for (const entry of this.entries.values()) {
      const current = oldest.get(entry.partition);
      if (current === undefined || entry.offset < current) oldest.set(entry.partition, entry.offset);
    }
    return oldest;
  }

  private dropOldest(): void {
    for (; this.head < this.queueKeys.length; this.head++) {
      const key = this.queueKeys[this.head];
      if (this.entries.get(key) !== this.queueEntries[this.head]) continue;
      this.entries.delete(key);
      this.head++;
      return;
    }
  }

  /** Keeps the queue within a small multiple of the live entries, in amortised constant time per call. */
  private compact(): void {
    const length = this.queueKeys.length - this.head;
    if (this.head > 1024 && this.head > length) {
      this.queueKeys = this.queueKeys.slice(this.head);
      this.queueEntries = this.queueEntries.slice(this.head);
      this.head = 0;
    } else if (length > 2 * this.entries.size + 1024) {
      const keys: string[] = [];
      const entries: JoinEntry[] = [];
      for (let i = this.head; i < this.queueKeys.length; i++) {
        if (this.entries.get(this.queueKeys[i]) !== this.queueEntries[i]) continue;
        keys.push(this.queueKeys[i]);
        entries.push(this.queueEntries[i]);
      }
      [this.queueKeys, this.queueEntries, this.head] = [keys, entries, 0];
    }
  }
}
