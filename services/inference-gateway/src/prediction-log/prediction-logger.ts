import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { decodeEvent, eventType } from '@mlops/contracts';
import { CLOUDEVENTS_HEADERS, EventPublisher, RawMessage } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { jsonDataText } from '../inference/json-tensor-codec';
import type { DecodedTensor } from '../inference/tensor';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { Role } from '../traffic/traffic-router';

const TOPIC = 'mlops.predictions.logged';

export interface PredictionRecord {
  requestId: string;
  modelName: string;
  version: number;
  role: Role;
  inputs: DecodedTensor[];
  outputs: DecodedTensor[];
  latencyMs: number;
  at: Date;
}

/**
 * Prediction logs leave in batches, off the request path: record() only appends to a bounded buffer (or counts a
 * drop when it is full), and a timer publishes what has gathered. A broker outage costs log records, never
 * responses.
 *
 * Records are built by the gateway from tensors it has already checked, so each one is written as event JSON
 * directly (predictionEventJson) rather than through the contract's schema; the first record of every batch is
 * decoded against the contract as a sample, and a batch whose sample fails is checked record by record.
 *
 * Batches stay small (MLOPS_GATEWAY_PREDICTION_LOG_BATCH, 100 by default) although fewer, larger sends would cost
 * less CPU in total: a send's encoding blocks the event loop for about as many tens of microseconds as it has
 * records, which lands directly in the response-time tail.
 */
@Injectable()
export class PredictionLogger implements OnModuleInit, OnApplicationShutdown {
  private buffer: PredictionRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private readonly log: JsonLogger;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly publisher: EventPublisher,
    private readonly metrics: GatewayMetrics,
    logger: JsonLogger,
  ) {
    this.log = logger.child('PredictionLogger');
    metrics.trackLogBufferDepth(() => this.buffer.length);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.predictionLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  record(record: PredictionRecord): void {
    if (this.buffer.length >= this.config.predictionLog.bufferSize) {
      this.metrics.logDropped.inc({ reason: 'buffer_full' });
      return;
    }
    this.buffer.push(record);
  }

  /** One publish at a time, so records of a model keep their order in the topic. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.buffer.length === 0) return Promise.resolve();
    this.flushing = this.publishBuffered().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async publishBuffered(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.config.predictionLog.batchSize);
      const encoded = this.encodeBatch(batch);
      // Encoding a batch and kafkajs encoding its produce request are each synchronous: a request arriving
      // meanwhile waits, so the two halves are split by a turn of the event loop and batches kept small.
      await new Promise((resolve) => setImmediate(resolve));
      for (const messages of bySize(encoded)) {
        try {
          await this.publisher.publishRaw(TOPIC, messages);
          this.metrics.logPublished.inc(messages.length);
        } catch (err) {
          this.metrics.logDropped.inc({ reason: 'publish_failed' }, messages.length);
          this.log.warn(`${messages.length} prediction log records dropped: ${(err as Error).message}`);
          return;
        }
      }
    }
  }

  private encodeBatch(batch: PredictionRecord[]): RawMessage[] {
    const messages = batch.map((record) => ({ key: record.modelName, value: Buffer.from(predictionEventJson(record), 'utf8'), headers: { ...CLOUDEVENTS_HEADERS } }));
    if (decodeEvent(TOPIC, messages[0].value).ok) return messages;
    return messages.filter((message, i) => {
      const decoded = decodeEvent(TOPIC, message.value);
      if (decoded.ok) return true;
      this.metrics.logDropped.inc({ reason: 'invalid_record' });
      this.log.warn(`prediction log record ${batch[i].requestId} dropped: ${decoded.error}`);
      return false;
    });
  }
}

/** Records of one model share a partition: a send stays well under the broker's default 1 MiB record batch. */
const MAX_SEND_BYTES = 512 * 1024;

function bySize(messages: RawMessage[]): RawMessage[][] {
  const sends: RawMessage[][] = [];
  let current: RawMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.value?.length ?? 0;
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

const EVENT_TYPE = JSON.stringify(eventType(TOPIC));

/** The CloudEvent of a record, as JSON text: the same document JSON.stringify would write for the event object. */
export function predictionEventJson(record: PredictionRecord): string {
  const at = JSON.stringify(record.at.toISOString());
  const model = JSON.stringify(record.modelName);
  return (
    `{"specversion":"1.0","id":"${randomUUID()}","source":"/mlops/inference-gateway","type":${EVENT_TYPE},"time":${at},"subject":${model},` +
    `"datacontenttype":"application/json","data":{"requestId":${JSON.stringify(record.requestId)},"modelName":${model},"version":${record.version},` +
    `"role":"${record.role}","inputs":${tensorsJson(record.inputs)},"outputs":${tensorsJson(record.outputs)},"latencyMs":${JSON.stringify(record.latencyMs)},"timestamp":${at}}}`
  );
}

function tensorsJson(tensors: DecodedTensor[]): string {
  let text = '';
  for (const tensor of tensors) {
    text += `${text ? ',' : ''}{"name":${JSON.stringify(tensor.name)},"datatype":"${tensor.datatype}","shape":[${tensor.shape.join(',')}],"data":${jsonDataText(tensor.datatype, tensor.values)}}`;
  }
  return `[${text}]`;
}
