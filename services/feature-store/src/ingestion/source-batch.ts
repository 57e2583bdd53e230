import { deadLetterHeaders } from '@mlops/messaging';
import type { FeatureViewVersion } from '../definitions/feature-definitions';
import { FeatureRow, parseRecord, recordCheckOf, recordHash } from './record-validator';

/** One kafkajs fetch of one partition of a source topic, as the consumer hands it on. */
export interface SourceBatch {
  topic: string;
  partition: number;
  groupId: string;
  messages: { key: Buffer | null; value: Buffer | null; offset: string }[];
}

/** A record one view refused: the original bytes and the reason, for the dead-letter topic. */
export interface DeadLetter {
  view: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface SortedBatch {
  rows: FeatureRow[];
  deadLetters: DeadLetter[];
  /** Per view, the records it accepted. */
  accepted: Map<string, number>;
}

/**
 * Checks every record of a batch against the newest version of every view on its topic: each acceptance is a row
 * to write, each refusal a dead letter naming the view, the field and why.
 */
export function sortBatch(batch: SourceBatch, views: FeatureViewVersion[], failedAt: Date): SortedBatch {
  const rows: FeatureRow[] = [];
  const deadLetters: DeadLetter[] = [];
  const accepted = new Map<string, number>();
  const checks = views.map((view) => ({ view, check: recordCheckOf(view) }));
  const source = { topic: batch.topic, partition: batch.partition, groupId: batch.groupId };
  const refuse = (message: SourceBatch['messages'][number], view: FeatureViewVersion, reason: string) =>
    deadLetters.push({
      view: view.name,
      offset: message.offset,
      key: message.key,
      value: message.value,
      headers: deadLetterHeaders(reason, 'apply', { ...source, offset: message.offset }, failedAt),
    });
  for (const message of batch.messages) {
    const bytes = message.value;
    const json = bytes ? parseRecord(bytes) : { reason: 'record has no value' };
    if ('reason' in json) {
      for (const view of views) refuse(message, view, `feature view ${view.name} v${view.version}: ${json.reason}`);
      continue;
    }
    // The record's hash does not depend on the view: computed once, and only if some view accepts the record.
    let hash: string | undefined;
    const hashOf = () => (hash ??= recordHash(bytes as Buffer));
    for (const { view, check } of checks) {
      const result = check(json.record, hashOf);
      if (result.ok) {
        rows.push(result.row);
        accepted.set(view.name, (accepted.get(view.name) ?? 0) + 1);
      } else {
        refuse(message, view, result.reason);
      }
    }
  }
  return { rows, deadLetters, accepted };
}
