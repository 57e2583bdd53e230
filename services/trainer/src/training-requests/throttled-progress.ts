/**
 * Passes on the latest progress at most once per interval: a GBDT round can take a millisecond, and a write
 * per round would load Postgres for nothing. One write at a time; the last reported value is written by flush.
 */
export class ThrottledProgress {
  private latest: [number, number] | null = null;
  private written: [number, number] | null = null;
  private lastWriteAt = -Infinity;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly write: (iteration: number, total: number) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly intervalMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  report(iteration: number, total: number): void {
    this.latest = [iteration, total];
    if (this.inFlight || this.now() - this.lastWriteAt < this.intervalMs) return;
    this.writeLatest();
  }

  /** Waits for the write under way, then writes the last value if it has not been written. */
  async flush(): Promise<void> {
    if (this.inFlight) await this.inFlight;
    if (this.latest && this.latest !== this.written) {
      this.writeLatest();
      await this.inFlight;
    }
  }

  private writeLatest(): void {
    const value = this.latest!;
    this.lastWriteAt = this.now();
    this.written = value;
    this.inFlight = this.write(value[0], value[1])
      .catch(this.onError)
      .finally(() => {
        this.inFlight = null;
      });
  }
}
