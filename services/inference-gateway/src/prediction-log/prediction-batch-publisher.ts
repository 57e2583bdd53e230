import { decodeEvent } from '@mlops/contracts';
import { PREDICTIONS_TOPIC, predictionEventJson } from './prediction-event-json';
import type { PredictionRecord } from './prediction-record';

/** What became of a batch of records: every record is counted exactly once, published or dropped. */
export interface PublishOutcome {
  published: number;
  publishFailed: number;
  invalid: number;
  warnings: string[];
}

/** A prediction event as it goes to Kafka: keyed by model; the producer adds the CloudEvents content-type header. */
export interface LogMessage {
  key: string;
  value: Buffer;
}

export type PublishRaw = (topic: string, messages: LogMessage[]) => Promise<void>;

/** Records of one model share a partition: a send stays well under the broker's default 1 MiB record batch. */
const MAX_SEND_BYTES = 512 * 1024;

/**
 * Encodes records as events and publishes them in sends of at most MAX_SEND_BYTES, in order; stops at the first
 * refused send and counts the rest as failed. Records are built by the gateway from tensors it has already
 * checked, so each one is written as event JSON directly (predictionEventJson) rather than through the contract's
 * schema; the first record is decoded against the contract as a sample, and a batch whose sample fails is checked
 * record by record.
 */
export async function publishPredictions(records: PredictionRecord[], publishRaw: PublishRaw): Promise<PublishOutcome> {
  const outcome: PublishOutcome = { published: 0, publishFailed: 0, invalid: 0, warnings: [] };
  if (records.length === 0) return outcome;
  const messages = encode(records, outcome);
  const sends = bySize(messages);
  for (let i = 0; i < sends.length; i++) {
    try {
      await publishRaw(PREDICTIONS_TOPIC, sends[i]);
      outcome.published += sends[i].length;
    } catch (err) {
      const failed = sends.slice(i).reduce((total, send) => total + send.length, 0);
      outcome.publishFailed += failed;
      outcome.warnings.push(`${failed} prediction log records dropped: ${(err as Error).message}`);
      break;
    }
  }
  return outcome;
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
