import type { LogMessage, Spill } from './prediction-batch-publisher';
import type { PredictionSpool } from './prediction-spool';

/** What the replay tells the gateway after each change: records now in Kafka, and the bytes the spool holds. */
export interface SpoolProgress {
  replayed: number;
  bytes: number;
}

export interface SpoolReplayOptions {
  send: (messages: LogMessage[]) => Promise<void>;
  onProgress: (progress: SpoolProgress) => void;
  onError: (message: string) => void;
  /** Wait after a refused send before the next try. */
  retryMs: number;
  /** Bytes per send, as for records published directly. */
  sendBytes: number;
}

/**
 * Sends what the spool holds, oldest first, one acknowledged send at a time, whenever it holds anything: records
 * kept while the broker was away, and records left on disk by an earlier process (start()). While it holds
 * anything, new records join the spool behind them rather than overtake them.
 */
export class SpoolReplay implements Spill {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly spool: PredictionSpool,
    private readonly options: SpoolReplayOptions,
  ) {}

  start(): void {
    this.options.onProgress({ replayed: 0, bytes: this.spool.bytes });
    if (!this.spool.isEmpty()) this.kick();
  }

  holding(): boolean {
    return !this.spool.isEmpty();
  }

  keep(messages: LogMessage[]): number {
    const kept = this.spool.append(messages);
    this.options.onProgress({ replayed: 0, bytes: this.spool.bytes });
    this.kick();
    return kept;
  }

  /** Resolves once the send in flight (if any) is acknowledged or refused; what is left stays on disk. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.spool.close();
  }

  private kick(): void {
    if (this.running || this.timer || this.stopped) return;
    this.running = this.replay()
      .catch((err: Error) => this.options.onError(`the prediction spool could not be read: ${err.message}`))
      .finally(() => (this.running = null));
  }

  private async replay(): Promise<void> {
    for (let chunk = this.spool.peek(this.options.sendBytes); chunk && !this.stopped; chunk = this.spool.peek(this.options.sendBytes)) {
      try {
        await this.options.send(chunk.messages);
      } catch (err) {
        this.options.onError(`replaying the prediction spool failed, retrying in ${this.options.retryMs} ms: ${(err as Error).message}`);
        this.timer = setTimeout(() => {
          this.timer = null;
          this.kick();
        }, this.options.retryMs);
        return;
      }
      this.spool.acknowledge(chunk);
      this.options.onProgress({ replayed: chunk.messages.length, bytes: this.spool.bytes });
    }
  }
}
