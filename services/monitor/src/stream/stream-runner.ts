import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Consumer, Message, MessagesStream } from '@platformatic/kafka';
import { DataSource, QueryRunner } from 'typeorm';
import { dlqTopic } from '@mlops/contracts';
import { deadLetterHeaders, EventPublisher, platformaticSasl } from '@mlops/messaging';
import { JsonLogger } from '@mlops/observability';
import { PLATFORM_CONFIG, retryUntil } from '@mlops/service-kit';
import type { PlatformConfig } from '@mlops/config';
import { MonitorMetrics } from '../metrics/monitor-metrics';
import { MONITOR_CONFIG, MonitorConfig } from '../monitor.config';
import { MonitoredModels } from '../references/monitored-models';
import { CheckpointRepository } from './checkpoint.repository';
import { foldRecord } from './fold-record';
import { offsetsWithinLog } from './offsets-within-log';
import { RecordStreamOutputs } from './record-stream-outputs';
import { LABELS_TOPIC, PREDICTIONS_TOPIC, StreamProcessor } from './stream-processor';

const GROUP_ID = 'mlops-monitor-stream';
/** One monitor consumes the stream at a time: the replica holding this lock; the others wait for it. */
const STREAM_LOCK = 'mlops-monitor-stream';
const REFRESH_MODELS_MS = 5000;

interface DeadLetter {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The high-volume path: prediction logs and labels read in fetched batches by @platformatic/kafka, decoded and
 * folded by the StreamProcessor in memory, and checkpointed about once a second. A checkpoint writes the state that
 * changed, the offsets it covers, the windows' results and their events in one Postgres transaction; Kafka's
 * committed offsets are not used. After any crash the monitor restores the last checkpoint and seeks to its offsets,
 * so no prediction is lost or counted twice.
 */
@Injectable()
export class StreamRunner implements OnApplicationShutdown {
  private processor: StreamProcessor | null = null;
  private consumer: Consumer | null = null;
  private stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | null = null;
  private lock: QueryRunner | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> | null = null;
  private lastCheckpoint = Date.now();
  private lastRefresh = Date.now();
  private deadLetters: DeadLetter[] = [];
  private lastOffsets = new Map<string, number>();
  private stopping = false;
  private restarting: Promise<void> | null = null;
  private readonly logger: JsonLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly checkpoints: CheckpointRepository,
    private readonly outputs: RecordStreamOutputs,
    private readonly models: MonitoredModels,
    private readonly publisher: EventPublisher,
    private readonly metrics: MonitorMetrics,
    @Inject(MONITOR_CONFIG) private readonly config: MonitorConfig,
    @Inject(PLATFORM_CONFIG) private readonly platform: PlatformConfig,
    logger: JsonLogger,
  ) {
    this.logger = logger.child('StreamRunner');
  }

  /** Waits for the stream lock, restores the checkpoint and starts consuming; rejects if any step fails. */
  async start(): Promise<void> {
    this.lock = this.dataSource.createQueryRunner();
    await this.lock.connect();
    await this.lock.query('SELECT pg_advisory_lock(hashtext($1))', [STREAM_LOCK]);
    if (this.stopping) return;
    // A failed start lets go of the lock: a retry opens another session, which would otherwise wait on this one.
    await this.consume().catch(async (error: unknown) => {
      await this.release();
      throw error;
    });
  }

  private async consume(): Promise<void> {
    await this.models.load();
    this.consumer = new Consumer({
      groupId: GROUP_ID,
      clientId: `${this.platform.kafka.clientId}-stream`,
      bootstrapBrokers: this.platform.kafka.brokers,
      sasl: platformaticSasl(this.platform.kafka.sasl),
      sessionTimeout: this.platform.consumerSession.sessionTimeoutMs,
      heartbeatInterval: this.platform.consumerSession.heartbeatIntervalMs,
      rebalanceTimeout: this.platform.consumerSession.sessionTimeoutMs,
    });
    const stored = await this.checkpoints.load();
    const topics = [PREDICTIONS_TOPIC, LABELS_TOPIC];
    const [earliest, latest] = await Promise.all([this.consumer.listOffsets({ topics, timestamp: -2n }), this.consumer.listOffsets({ topics, timestamp: -1n })]);
    const { offsets, joinFrom, moved } = offsetsWithinLog(stored, { earliest, latest }, PREDICTIONS_TOPIC);
    if (moved.length > 0) this.logger.warn(`checkpointed offsets the log no longer holds, read from its start: ${moved.join('; ')}`);
    const processor = new StreamProcessor(this.models, this.config);
    processor.restore(stored.rows, offsets, joinFrom);
    this.processor = processor;
    this.metrics.watch({
      labelCounts: () => processor.labelCounts(),
      newestPredictionMs: () => processor.openWindows().map((w) => ({ ...w.key, atMs: w.toMs })).filter((w) => Number.isFinite(w.atMs)),
    });
    const start = processor.startOffsets(joinFrom);
    this.stream = await this.consumer.consume({
      topics: [PREDICTIONS_TOPIC, LABELS_TOPIC],
      mode: 'manual',
      fallbackMode: 'earliest',
      autocommit: false,
      maxWaitTime: 200,
      // Large fetches: the stream's throughput is set by records per round trip, not by the broker.
      maxBytes: 64 * 1024 * 1024,
      maxBytesPerPartition: 8 * 1024 * 1024,
      offsets: [...start].map(([position, offset]) => {
        const split = position.lastIndexOf(':');
        return { topic: position.slice(0, split), partition: Number(position.slice(split + 1)), offset: BigInt(offset) };
      }),
    });
    this.stream.on('data', (message: Message<Buffer, Buffer, Buffer, Buffer>) => this.handle(message));
    this.stream.on('error', (error: Error) => void this.restartAfter(error));
    this.timer = setInterval(() => void this.checkpointIfDue(true), this.config.checkpointIntervalMs);
    this.logger.log(`consuming ${PREDICTIONS_TOPIC} and ${LABELS_TOPIC} from the checkpoint (${offsets.size} partition offsets, ${stored.rows.size} state rows)`);
  }

  /**
   * A failed stream delivers nothing more, yet this replica would keep the lock and every other one would wait on it:
   * the folded state is checkpointed, everything released, and the stream started again from that checkpoint (the
   * path a crash takes), by this replica or whichever takes the lock first.
   */
  private restartAfter(error: Error): Promise<void> {
    if (this.stopping || this.restarting) return this.restarting ?? Promise.resolve();
    this.logger.error(`stream consumer failed, restarting it from the last checkpoint: ${error.message}`);
    this.restarting = this.release()
      .then(() => retryUntil('prediction stream', () => this.start(), this.logger, { initialDelayMs: 1000, maxDelayMs: 5000, isCancelled: () => this.stopping }))
      .catch((failure: Error) => this.logger.error(`the prediction stream did not restart: ${failure.message}`))
      .finally(() => {
        this.restarting = null;
      });
    return this.restarting;
  }

  private handle(message: Message<Buffer, Buffer, Buffer, Buffer>): void {
    // Records still delivered while the stream is being released are not folded: the checkpoint's offsets exclude them.
    if (!this.processor) return;
    const processor = this.processor;
    const { topic, partition } = message;
    const offset = Number(message.offset);
    const error = foldRecord(processor, topic, partition, offset, message.value);
    if (error === null) this.metrics.records.inc({ topic, outcome: 'folded' });
    else this.deadLetter(message, error, () => processor.offsets.set(`${topic}:${partition}`, offset + 1));
    void this.checkpointIfDue(false);
  }

  /** Bad records go to the dead-letter topic with the checkpoint that moves past them, never before it. */
  private deadLetter(message: Message<Buffer, Buffer, Buffer, Buffer>, reason: string, skip: () => void): void {
    const headers = deadLetterHeaders(reason, 'decode', { topic: message.topic, partition: message.partition, offset: String(message.offset), groupId: GROUP_ID }, new Date());
    this.deadLetters.push({ key: message.key ?? null, value: message.value, headers: headers as Record<string, string> });
    this.metrics.records.inc({ topic: message.topic, outcome: 'dead_lettered' });
    skip();
  }

  private checkpointIfDue(fromTimer: boolean): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    const now = Date.now();
    if (!this.processor || (!fromTimer && now - this.lastCheckpoint < this.config.checkpointIntervalMs)) return Promise.resolve();
    this.stream?.pause();
    this.checkpointing = this.checkpoint(now)
      .catch((error: Error) => this.logger.warn(`checkpoint failed, keeping the state in memory and trying again: ${error.message}`))
      .finally(() => {
        this.checkpointing = null;
        if (!this.stopping) this.stream?.resume();
      });
    return this.checkpointing;
  }

  private async checkpoint(nowMs: number, processor = this.processor as StreamProcessor): Promise<void> {
    if (nowMs - this.lastRefresh >= REFRESH_MODELS_MS) {
      await this.models.load();
      this.lastRefresh = nowMs;
    }
    processor.tick(nowMs);
    if (!processor.hasChanges() && this.deadLetters.length === 0 && !this.offsetsMoved(processor)) return;
    const changes = processor.takeChanges();
    const now = new Date(nowMs);
    const prepared = await this.outputs.prepare(changes.outputs, now).catch((error: unknown) => {
      processor.restoreChanges(changes);
      throw error;
    });
    const deadLetters = this.deadLetters;
    try {
      if (deadLetters.length) await this.publisher.publishRaw(dlqTopic('monitor'), deadLetters);
      this.deadLetters = [];
      await this.dataSource.transaction(async (manager) => {
        await this.checkpoints.write(manager, changes.upserts, changes.deletes);
        await this.checkpoints.writeOffsets(manager, changes.offsets, changes.joinFrom, PREDICTIONS_TOPIC);
        await this.outputs.write(manager, prepared, now);
      });
    } catch (error) {
      processor.restoreChanges(changes);
      throw error;
    }
    this.outputs.observe(prepared);
    this.lastCheckpoint = nowMs;
    this.lastOffsets = changes.offsets;
  }

  private offsetsMoved(processor: StreamProcessor): boolean {
    for (const [position, offset] of processor.offsets) if (this.lastOffsets.get(position) !== offset) return true;
    return false;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.restarting;
    await this.release();
  }

  private async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checkpointing;
    this.stream?.pause();
    // Taken first, so records still arriving and the timer fold and checkpoint nothing more.
    const processor = this.processor;
    this.processor = null;
    // A last checkpoint so a clean stop resumes exactly where it left off (a crash resumes from the previous one).
    if (processor) {
      await this.checkpoint(Date.now(), processor).catch((error: Error) => this.logger.warn(`final checkpoint failed: ${error.message}`));
    }
    await this.stream?.close().catch(() => undefined);
    await this.consumer?.close().catch(() => undefined);
    this.stream = null;
    this.consumer = null;
    if (this.lock) {
      await this.lock.query('SELECT pg_advisory_unlock(hashtext($1))', [STREAM_LOCK]).catch(() => undefined);
      await this.lock.release().catch(() => undefined);
      this.lock = null;
    }
  }
}
