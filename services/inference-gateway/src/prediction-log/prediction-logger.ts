import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { encodeEvent, eventType, PlatformEvent } from '@mlops/contracts';
import { CLOUDEVENTS_HEADERS, EventPublisher, RawMessage } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { encodeJsonData } from '../inference/json-tensor-codec';
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
    this.metrics.logBufferDepth.set(this.buffer.length);
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
      this.metrics.logBufferDepth.set(this.buffer.length);
      const messages: RawMessage[] = [];
      for (const record of batch) {
        try {
          const event = toEvent(record);
          messages.push({ key: event.subject, value: encodeEvent(TOPIC, event), headers: { ...CLOUDEVENTS_HEADERS } });
        } catch (err) {
          this.metrics.logDropped.inc({ reason: 'invalid_record' });
          this.log.warn(`prediction log record ${record.requestId} dropped: ${(err as Error).message}`);
        }
      }
      if (messages.length === 0) continue;
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

function toEvent(record: PredictionRecord): PlatformEvent<typeof TOPIC> {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/mlops/inference-gateway',
    type: eventType(TOPIC),
    time: record.at.toISOString(),
    subject: record.modelName,
    datacontenttype: 'application/json',
    data: {
      requestId: record.requestId,
      modelName: record.modelName,
      version: record.version,
      role: record.role,
      inputs: record.inputs.map(toContractTensor),
      outputs: record.outputs.map(toContractTensor),
      latencyMs: record.latencyMs,
      timestamp: record.at.toISOString(),
    },
  };
}

function toContractTensor(tensor: DecodedTensor) {
  return { name: tensor.name, datatype: tensor.datatype, shape: tensor.shape, data: encodeJsonData(tensor.datatype, tensor.values) };
}
