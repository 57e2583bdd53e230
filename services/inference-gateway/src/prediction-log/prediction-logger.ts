import { join } from 'node:path';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { GatewayMetrics } from '../metrics/gateway-metrics';
import type { PublishOutcome } from './prediction-batch-publisher';
import { PredictionJournal } from './prediction-journal';
import { PREDICTION_LOG_SINK, PredictionSink } from './prediction-log-sink';
import type { PredictionRecord } from './prediction-record';
import { PredictionRing, RingSlot } from './prediction-ring';

export type { PredictionRecord } from './prediction-record';

/**
 * Prediction logs leave in batches, off the request path: record() only writes the record into a bounded ring
 * shared with the log worker (or counts a drop when it is full), and spans of the ring are handed to the sink, which
 * encodes and publishes them away from the event loop (WorkerPredictionSink). The bound covers records handed over
 * but not yet published too, so a slow or absent broker costs log records, never memory or responses; the worker
 * keeps what the broker refuses in a bounded spool on disk, so it costs records only once that bound is reached.
 * With the spool on, each record is also written to a journal before its answer is sent (PredictionJournal), so a
 * gateway killed with records still in the ring logs them when it starts again.
 */
@Injectable()
export class PredictionLogger implements OnModuleInit, OnApplicationShutdown {
  private readonly ring: PredictionRing;
  private readonly journal: PredictionJournal | null;
  /** Warn once per run of failed journal writes, not once per record. */
  private journalFailing = false;
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
    this.journal = this.openJournal();
  }

  onModuleInit(): void {
    this.sink.start(({ replayed, bytes }) => {
      if (replayed > 0) this.metrics.logPublished.inc(replayed);
      this.metrics.logSpoolBytes.set(bytes);
    });
    this.relogLeftovers();
    this.timer = setInterval(() => void this.flush(), this.config.predictionLog.flushIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
    await this.sink.close();
    this.journal?.close();
  }

  record(record: PredictionRecord): void {
    const slot = this.held < this.config.predictionLog.bufferSize ? this.ring.append(record) : null;
    if (!slot) {
      this.dropped(1);
      return;
    }
    this.journalise(slot);
    this.held++;
    if (this.ring.pendingCount >= this.config.predictionLog.batchSize) void this.flush();
  }

  /** Hands everything written so far to the sink; resolves once it has its outcome. */
  flush(): Promise<void> {
    const span = this.ring.take();
    if (!span) return Promise.resolve();
    const segment = this.journalCall(() => this.journal?.cut() ?? null);
    return new Promise((resolve) =>
      this.sink.write({ buffer: this.ring.buffer, span }, (outcome) => {
        if (segment) this.journalCall(() => this.journal?.settle(segment));
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

  private openJournal(): PredictionJournal | null {
    const spool = this.config.predictionLog.spool;
    if (!spool) return null;
    try {
      return PredictionJournal.open(join(spool.dir, 'journal'));
    } catch (err) {
      this.log.warn(`prediction journal unavailable, a gateway killed before publishing loses the records it held: ${(err as Error).message}`);
      return null;
    }
  }

  /** Before any request: what an earlier process journaled and never saw published goes through the ring again. */
  private relogLeftovers(): void {
    const journal = this.journal;
    if (!journal) return;
    const records = this.journalCall(() => journal.leftovers()) ?? [];
    for (const record of records) this.record(record);
    this.journalCall(() => journal.discardLeftovers());
    if (records.length === 0) return;
    this.log.log(`${records.length} prediction log records left unpublished by an earlier process are logged again`);
    void this.flush();
  }

  private journalise(slot: RingSlot): void {
    if (!this.journal) return;
    if (this.journalCall(() => this.journal?.append(this.ring.bytes, slot.at, slot.size)) === null) this.metrics.logUnjournaled.inc();
  }

  /** The journal's result, or null when the disk refused: logging goes on from memory alone. */
  private journalCall<T>(call: () => T): T | null {
    try {
      const result = call();
      this.journalFailing = false;
      return result;
    } catch (err) {
      if (!this.journalFailing) this.log.warn(`prediction journal write failed, records are logged from memory only until it works again: ${(err as Error).message}`);
      this.journalFailing = true;
      return null;
    }
  }
}
