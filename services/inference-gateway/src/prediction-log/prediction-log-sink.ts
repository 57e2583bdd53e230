import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KafkaConnectionConfig } from '@mlops/messaging';
import type { JsonLogger } from '@mlops/observability';
import { droppedOutcome, PublishOutcome } from './prediction-batch-publisher';
import type { RingSpan } from './prediction-ring';
import type { SpoolProgress } from './spool-replay';

/** Records in a span of the shared ring (PredictionRing). */
export interface RingBatch {
  buffer: SharedArrayBuffer;
  span: RingSpan;
}

/** Where the logger hands batches of records; `done` learns, once per batch, what became of every record. */
export interface PredictionSink {
  /** Begins publishing what an earlier process left in the spool, before any new record arrives. */
  start(onSpool: SpoolListener): void;
  write(batch: RingBatch, done: (outcome: PublishOutcome) => void): void;
  /** Resolves once everything written so far has an outcome. */
  close(): Promise<void>;
}

export const PREDICTION_LOG_SINK = Symbol('PREDICTION_LOG_SINK');

export interface LogWorkerData {
  kafka: KafkaConnectionConfig;
  /** Null: no spool, records the broker refuses are dropped (and counted). */
  spool: { dir: string; maxBytes: number; retryMs: number } | null;
}

export type ToLogWorker = ({ kind: 'records'; seq: number } & RingBatch) | { kind: 'close' };
export type FromLogWorker =
  | { kind: 'outcome'; seq: number; outcome: PublishOutcome }
  | ({ kind: 'spool' } & SpoolProgress)
  | { kind: 'warning'; message: string }
  | { kind: 'closed' };

/** What the gateway learns of the spool: records replayed into Kafka, and its bytes on disk. */
export type SpoolListener = (progress: SpoolProgress) => void;

const RESTART_DELAY_MS = 1000;
const WORKER_FILE = join(__dirname, `prediction-log-worker${extname(__filename)}`);

/**
 * Prediction logs are encoded and produced to Kafka by a worker thread with its own producer: encoding the
 * events and producing them are synchronous work of several microseconds per record, which on the main thread
 * delayed every request arriving meanwhile. The main thread writes records into the shared ring and posts only
 * where a batch lies in it. A worker that dies is replaced by a later batch, a second on; what it held counts as failed.
 * With a spool, the worker starts with the service, so what an earlier process left on disk is replayed at once.
 */
export class WorkerPredictionSink implements PredictionSink {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { count: number; done: (outcome: PublishOutcome) => void }>();
  private seq = 0;
  /** After a worker died, batches fail at once until then rather than restarting it in a loop. */
  private restartAt = 0;
  private onSpool: SpoolListener = () => undefined;

  constructor(
    private readonly data: LogWorkerData,
    private readonly log: JsonLogger,
  ) {}

  start(onSpool: SpoolListener): void {
    this.onSpool = onSpool;
    if (this.data.spool) this.running();
  }

  write(batch: RingBatch, done: (outcome: PublishOutcome) => void): void {
    const count = batch.span.count;
    if (!this.worker && Date.now() < this.restartAt) {
      done(droppedOutcome(count, 'prediction log worker is restarting'));
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
    const worker = new Worker(WORKER_FILE, { workerData: this.data, execArgv });
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
    } else if (message.kind === 'spool') {
      this.onSpool(message);
    } else if (message.kind === 'warning') {
      this.log.warn(message.message);
    }
  }

  private failWaiting(reason: string): void {
    for (const { count, done } of this.waiting.values()) done(droppedOutcome(count, reason));
    this.waiting.clear();
  }
}
