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
    this.entries.delete(requestId);
    this.entries.set(requestId, entry);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evicted++;
    }
  }

  take(requestId: string): JoinEntry | undefined {
    const entry = this.entries.get(requestId);
    if (entry) this.entries.delete(requestId);
    return entry;
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
