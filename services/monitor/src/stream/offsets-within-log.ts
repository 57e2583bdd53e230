import type { StoredCheckpoint } from './checkpoint.repository';

/** Per topic, each partition's first and next offset, as the broker answers them (ListOffsets earliest and latest). */
export interface LogBounds {
  earliest: Map<string, bigint[]>;
  latest: Map<string, bigint[]>;
}

/**
 * A checkpoint's offsets the log no longer holds: past its end (the topic was deleted and made again, so every record
 * in it is new) or before its start (records deleted by retention). Fetching there fails on every attempt, so such a
 * partition is read from the log's start instead, and named; its join replay no longer applies.
 */
export function offsetsWithinLog(
  stored: Pick<StoredCheckpoint, 'offsets' | 'joinFrom'>,
  bounds: LogBounds,
  predictionsTopic: string,
): { offsets: Map<string, number>; joinFrom: Map<number, number>; moved: string[] } {
  const offsets = new Map(stored.offsets);
  const joinFrom = new Map(stored.joinFrom);
  const moved: string[] = [];
  for (const [position, offset] of stored.offsets) {
    const split = position.lastIndexOf(':');
    const topic = position.slice(0, split);
    const partition = Number(position.slice(split + 1));
    const first = bounds.earliest.get(topic)?.[partition];
    const next = bounds.latest.get(topic)?.[partition];
    if (first === undefined || next === undefined || (offset >= Number(first) && offset <= Number(next))) continue;
    offsets.set(position, Number(first));
    if (topic === predictionsTopic) joinFrom.delete(partition);
    moved.push(`${position} ${offset} -> ${first} (log holds ${first}-${next})`);
  }
  return { offsets, joinFrom, moved };
}
