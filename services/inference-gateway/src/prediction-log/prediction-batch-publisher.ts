import { decodeEvent } from '@mlops/contracts';
import { PREDICTIONS_TOPIC, predictionEventJson } from './prediction-event-json';
import type { PredictionRecord } from './prediction-record';

/** What became of a batch of records: every record is counted exactly once, published, spooled or dropped. */
export interface PublishOutcome {
  published: number;
  /** Kept on disk for the broker (PredictionSpool); counted as published later, when replayed. */
  spooled: number;
  publishFailed: number;
  /** Dropped because the spool had reached its bound. */
  spoolFull: number;
  invalid: number;
  warnings: string[];
}

/** Where records go that cannot be published now (SpoolReplay); without one, they are dropped. */
export interface Spill {
  /** True while earlier records wait there: later ones must queue behind them to keep their order. */
  holding(): boolean;
  /** Keeps a prefix of the messages, as many as its bound allows; returns how many. */
  keep(messages: LogMessage[]): number;
}

/** A prediction event as it goes to Kafka: keyed by model; the producer adds the CloudEvents content-type header. */
export interface LogMessage {
  key: string;
  value: Buffer;
}

/** Every record of a batch dropped before it could be published or spooled (the worker failed or is away). */
export function droppedOutcome(count: number, reason: string): PublishOutcome {
  return { published: 0, spooled: 0, publishFailed: count, spoolFull: 0, invalid: 0, warnings: [`${count} prediction log records dropped: ${reason}`] };
}

export type PublishRaw = (topic: string, messages: LogMessage[]) => Promise<void>;

/** Records of one model share a partition: a send stays well under the broker's default 1 MiB record batch. */
export const MAX_SEND_BYTES = 512 * 1024;

/**
 * Encodes records as events and publishes them in sends of at most MAX_SEND_BYTES, in order; stops at the first
 * refused send and hands the rest to the spill (all of them while it holds earlier ones), counting what it cannot
 * keep as dropped. Records are built by the gateway from tensors it has already
 * checked, so each one is written as event JSON directly (predictionEventJson) rather than through the contract's
 * schema; the first record is decoded against the contract as a sample, and a batch whose sample fails is checked
 * record by record.
 */
export async function publishPredictions(records: PredictionRecord[], publishRaw: PublishRaw, spill?: Spill): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { published: 0, spooled: 0, publishFailed: 0, spoolFull: 0, invalid: 0, warnings: [] };
  if (records.length === 0) return outcome;
  const messages = encode(records, outcome);
  if (spill?.holding()) {
    spillOver(messages, spill, outcome, 'the spool is full');
    return outcome;
  }
  const sends = bySize(messages);
  for (let i = 0; i < sends.length; i++) {
    try {
      await publishRaw(PREDICTIONS_TOPIC, sends[i]);
      outcome.published += sends[i].length;
    } catch (err) {
      const reason = (err as Error).message;
      const rest = sends.slice(i).flat();
      if (spill) spillOver(rest, spill, outcome, `the spool is full (${reason})`);
      else {
        outcome.publishFailed += rest.length;
        outcome.warnings.push(`${rest.length} prediction log records dropped: ${reason}`);
      }
      break;
    }
  }
  return outcome;
}

function spillOver(messages: LogMessage[], spill: Spill, outcome: PublishOutcome, reason: string): void {
  const kept = spill.keep(messages);
  outcome.spooled += kept;
  if (kept === messages.length) return;
  outcome.spoolFull += messages.length - kept;
  outcome.warnings.push(`${messages.length - kept} prediction log records dropped: ${reason}`);
}

function encode(records: PredictionRecord[], outcome: PublishOutcome): LogMessage[] {
  const bytes = new EventBytes();
  const messages = records.map((record) => ({ key: record.modelName, value: bytes.of(predictionEventJson(record)) }));
  if (decodeEvent(PREDICTIONS_TOPIC, messages[0].value).ok) return messages;
  return messages.filter((message, i) => {
    const decoded = decodeEvent(PREDICTIONS_TOPIC, message.value);
    if (decoded.ok) return true;
    outcome.invalid++;
    outcome.warnings.push(`prediction log record ${records[i].requestId} dropped: ${decoded.error}`);
    return false;
  });
}

const CHUNK_BYTES = 256 * 1024;

/** Event texts written back to back into shared chunks: one allocation a chunk rather than one a record. */
class EventBytes {
  private chunk = Buffer.alloc(0);
  private used = 0;

  of(text: string): Buffer {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8, so this much room always holds the text.
    const most = text.length * 3;
    if (this.chunk.length - this.used < most) {
      this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, most));
      this.used = 0;
    }
    const written = this.chunk.write(text, this.used, 'utf8');
    const view = this.chunk.subarray(this.used, this.used + written);
    this.used += written;
    return view;
  }
}

function bySize(messages: LogMessage[]): LogMessage[][] {
  const sends: LogMessage[][] = [];
  let current: LogMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value.length;
    if (current.length > 0 && bytes + size > MAX_SEND_BYTES) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) sends.push(current);
  return sends;
}
