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
 * Predictions by request id, oldest first (a Map keeps insertion order), bounded by a horizon and a count. It is not
 * checkpointed: on restart the predictions still inside the horizon are read again from Kafka, from the offset
 * `oldestOffsets` reports, which is cheaper than writing every prediction to Postgres.
 */
export class LabelJoin {
  private readonly entries = new Map<string, JoinEntry>();
  evicted = 0;

  constructor(
    private readonly horizonMs: number,
    private readonly maxEntries: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  add(requestId: string, entry: JoinEntry): void {
    const key = joinKey(requestId, entry.role);
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evicted++;
    }
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
    for (const [requestId, entry] of this.entries) {
      if (entry.atMs >= nowMs - this.horizonMs) break;
      this.entries.delete(requestId);
      expired++;
    }
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
}
