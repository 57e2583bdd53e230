import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KafkaConnectionConfig } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import type { PublishOutcome } from './prediction-batch-publisher';
import type { RingSpan } from './prediction-ring';

/** Records in a span of the shared ring (PredictionRing). */
export interface RingBatch {
  buffer: SharedArrayBuffer;
  span: RingSpan;
}

/** Where the logger hands batches of records; `done` learns, once per batch, what became of every record. */
export interface PredictionSink {
  write(batch: RingBatch, done: (outcome: PublishOutcome) => void): void;
  /** Resolves once everything written so far has an outcome. */
  close(): Promise<void>;
}

export const PREDICTION_LOG_SINK = Symbol('PREDICTION_LOG_SINK');

export interface LogWorkerData {
  kafka: KafkaConnectionConfig;
}

export type ToLogWorker = ({ kind: 'records'; seq: number } & RingBatch) | { kind: 'close' };
export type FromLogWorker = { kind: 'outcome'; seq: number; outcome: PublishOutcome } | { kind: 'closed' };

const RESTART_DELAY_MS = 1000;
const WORKER_FILE = join(__dirname, `prediction-log-worker${extname(__filename)}`);

/**
 * Prediction logs are encoded and produced to Kafka by a worker thread with its own producer: encoding the
 * events and producing them are synchronous work of several microseconds per record, which on the main thread
 * delayed every request arriving meanwhile. The main thread writes records into the shared ring and posts only
 * where a batch lies in it. A worker that dies is replaced by a later batch, a second on; what it held counts as failed.
 */
export class WorkerPredictionSink implements PredictionSink {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { count: number; done: (outcome: PublishOutcome) => void }>();
  private seq = 0;
  /** After a worker died, batches fail at once until then rather than restarting it in a loop. */
  private restartAt = 0;

  constructor(
    private readonly kafka: KafkaConnectionConfig,
    private readonly log: JsonLogger,
  ) {}

  write(batch: RingBatch, done: (outcome: PublishOutcome) => void): void {
    const count = batch.span.count;
    if (!this.worker && Date.now() < this.restartAt) {
      done(failed(count, 'prediction log worker is restarting'));
      return;
    }
    const seq = ++this.seq;
    this.waiting.set(seq, { count, done });
    this.running().postMessage({ kind: 'records', seq, buffer: batch.buffer, span: batch.span } satisfies ToLogWorker);
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (message: FromLogWorker) => message.kind === 'closed' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage({ kind: 'close' } satisfies ToLogWorker);
    await closed;
    this.worker = null;
    await worker.terminate();
  }

  private running(): Worker {
    if (this.worker) return this.worker;
    // Under ts sources (the service runs through @swc-node/register, tests through jest) the worker needs the
    // same loader; a built service runs .js files as they are.
    const execArgv = WORKER_FILE.endsWith('.ts') ? ['-r', '@swc-node/register'] : undefined;
    const worker = new Worker(WORKER_FILE, { workerData: { kafka: this.kafka } satisfies LogWorkerData, execArgv });
    worker.on('message', (message: FromLogWorker) => this.received(message));
    worker.on('error', (err) => this.log.error(`prediction log worker failed: ${err.message}`, err.stack));
    worker.once('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.restartAt = Date.now() + RESTART_DELAY_MS;
      this.failWaiting('prediction log worker exited');
    });
    this.worker = worker;
    return worker;
  }

  private received(message: FromLogWorker): void {
    if (message.kind === 'outcome') {
      const waiting = this.waiting.get(message.seq);
      this.waiting.delete(message.seq);
      waiting?.done(message.outcome);
    }
  }

  private failWaiting(reason: string): void {
    for (const { count, done } of this.waiting.values()) done(failed(count, reason));
    this.waiting.clear();
  }
}

function failed(count: number, reason: string): PublishOutcome {
  return { published: 0, publishFailed: count, invalid: 0, warnings: [`${count} prediction log records dropped: ${reason}`] };
}
