import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { PublishOutcome } from './prediction-batch-publisher';
import { PREDICTION_LOG_SINK, PredictionSink } from './prediction-log-sink';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing } from './prediction-ring';

export type { PredictionRecord } from './prediction-record';

/**
 * Prediction logs leave in batches, off the request path: record() only writes the record into a bounded ring
 * shared with the log worker (or counts a drop when it is full), and spans of the ring are handed to the sink, which
 * encodes and publishes them away from the event loop (WorkerPredictionSink). The bound covers records handed over
 * but not yet published too, so a slow or absent broker costs log records, never memory or responses; the worker
 * keeps what the broker refuses in a bounded spool on disk, so it costs records only once that bound is reached.
 */
@Injectable()
export class PredictionLogger implements OnModuleInit, OnApplicationShutdown {
  private readonly ring: PredictionRing;
  /** Written to the ring, outcome not known yet. */
  private held = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: JsonLogger;
  private readonly dropped: (count: number) => void;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(PREDICTION_LOG_SINK) private readonly sink: PredictionSink,
    private readonly metrics: GatewayMetrics,
    logger: JsonLogger,
  ) {
    this.log = logger.child('PredictionLogger');
    this.ring = PredictionRing.ofSize(config.predictionLog.bufferBytes);
    const full = metrics.logDropped.labels({ reason: 'buffer_full' });
    this.dropped = (count) => full.inc(count);
    metrics.trackLogBufferDepth(() => this.held);
  }

  onModuleInit(): void {
    this.sink.start(({ replayed, bytes }) => {
      if (replayed > 0) this.metrics.logPublished.inc(replayed);
      this.metrics.logSpoolBytes.set(bytes);
    });
    this.timer = setInterval(() => void this.flush(), this.config.predictionLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.sink.close();
  }

  record(record: PredictionRecord): void {
    if (this.held >= this.config.predictionLog.bufferSize || !this.ring.append(record)) {
      this.dropped(1);
      return;
    }
    this.held++;
    if (this.ring.pendingCount >= this.config.predictionLog.batchSize) void this.flush();
  }

  /** Hands everything written so far to the sink; resolves once it has its outcome. */
  flush(): Promise<void> {
    const span = this.ring.take();
    if (!span) return Promise.resolve();
    return new Promise((resolve) =>
      this.sink.write({ buffer: this.ring.buffer, span }, (outcome) => {
        this.ring.release(span);
        this.held -= span.count;
        this.account(outcome);
        resolve();
      }),
    );
  }

  private account(outcome: PublishOutcome): void {
    if (outcome.published > 0) this.metrics.logPublished.inc(outcome.published);
    if (outcome.spooled > 0) this.metrics.logSpooled.inc(outcome.spooled);
    if (outcome.publishFailed > 0) this.metrics.logDropped.inc({ reason: 'publish_failed' }, outcome.publishFailed);
    if (outcome.spoolFull > 0) this.metrics.logDropped.inc({ reason: 'spool_full' }, outcome.spoolFull);
    if (outcome.invalid > 0) this.metrics.logDropped.inc({ reason: 'invalid_record' }, outcome.invalid);
    for (const warning of outcome.warnings) this.log.warn(warning);
  }
}
