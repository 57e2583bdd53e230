import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { PublishOutcome } from './prediction-batch-publisher';
import { PREDICTION_LOG_SINK, PredictionSink } from './prediction-log-sink';
import type { PredictionRecord } from './prediction-record';

export type { PredictionRecord } from './prediction-record';

/**
 * Prediction logs leave in batches, off the request path: record() only appends to a bounded buffer (or counts a
 * drop when it is full), and a timer hands what has gathered to the sink, which encodes and publishes it away
 * from the event loop (WorkerPredictionSink). The bound covers records handed over but not yet published too, so
 * a slow or absent broker costs log records, never memory or responses.
 */
@Injectable()
export class PredictionLogger implements OnModuleInit, OnApplicationShutdown {
  private buffer: PredictionRecord[] = [];
  /** Handed to the sink, outcome not known yet. */
  private inSink = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: JsonLogger;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(PREDICTION_LOG_SINK) private readonly sink: PredictionSink,
    private readonly metrics: GatewayMetrics,
    logger: JsonLogger,
  ) {
    this.log = logger.child('PredictionLogger');
    metrics.trackLogBufferDepth(() => this.buffer.length + this.inSink);
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.predictionLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.sink.close();
  }

  record(record: PredictionRecord): void {
    if (this.buffer.length + this.inSink >= this.config.predictionLog.bufferSize) {
      this.metrics.logDropped.inc({ reason: 'buffer_full' });
      return;
    }
    this.buffer.push(record);
  }

  /** Hands everything buffered to the sink in batches; resolves once each of those batches has its outcome. */
  flush(): Promise<void> {
    const handed: Promise<void>[] = [];
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.config.predictionLog.batchSize);
      this.inSink += batch.length;
      handed.push(
        new Promise((resolve) =>
          this.sink.write(batch, (outcome) => {
            this.inSink -= batch.length;
            this.account(outcome);
            resolve();
          }),
        ),
      );
    }
    return Promise.all(handed).then(() => undefined);
  }

  private account(outcome: PublishOutcome): void {
    if (outcome.published > 0) this.metrics.logPublished.inc(outcome.published);
    if (outcome.publishFailed > 0) this.metrics.logDropped.inc({ reason: 'publish_failed' }, outcome.publishFailed);
    if (outcome.invalid > 0) this.metrics.logDropped.inc({ reason: 'invalid_record' }, outcome.invalid);
    for (const warning of outcome.warnings) this.log.warn(warning);
  }
}
