import type { IHeaders } from 'kafkajs';
import { DLQ_HEADERS } from '@mlops/contracts';
import { describeError } from './describe-error';

/** `decode`: the bytes are not a valid event of the topic; `apply`: the handler kept failing. */
export type DeadLetterStage = 'decode' | 'apply';

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
}

// The record keeps its original bytes next to these headers; a long stack or zod report must not push it
// over the broker's message size limit, or the dead-lettering itself would fail forever.
const MAX_REASON_LENGTH = 2000;

/** The record's own headers (trace ids, content type) travel with it; ours are added, and win on a clash. */
export function deadLetterHeaders(
  reason: string,
  stage: DeadLetterStage,
  source: DeadLetterSource,
  failedAt: Date,
  original: IHeaders = {},
): IHeaders & Record<string, string> {
  return {
    ...original,
    [DLQ_HEADERS.error]: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason,
    [DLQ_HEADERS.stage]: stage,
    [DLQ_HEADERS.sourceTopic]: source.topic,
    [DLQ_HEADERS.sourcePartition]: String(source.partition),
    [DLQ_HEADERS.sourceOffset]: source.offset,
    [DLQ_HEADERS.consumer]: source.groupId,
    [DLQ_HEADERS.failedAt]: failedAt.toISOString(),
  };
}

/**
 * Thrown from the consume loop when a record could not be dead-lettered: its offset must not be committed,
 * so kafkajs delivers it again. `retriable` is what tells kafkajs to restart consuming instead of giving up.
 */
export class DeadLetterPublishError extends Error {
  readonly retriable = true;

  constructor(source: DeadLetterSource, error: unknown) {
    super(
      `could not dead-letter ${source.topic}[${source.partition}]@${source.offset}: ${describeError(error)}`,
    );
    this.name = 'DeadLetterPublishError';
  }
}
