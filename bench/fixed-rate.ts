// Open-loop load at a fixed rate: call n starts at start + n / rate whether or not earlier calls have returned, so
// a slow server shows as queueing in the tail instead of as a lower rate. Latency counts from the moment a call is
// sent. The schedule ticks on a 1 ms timer (or sleeps until the next call when calls are further apart), which
// keeps this process from spinning a core the server needs, and sends every call that has come due, one by one
// (autocannon's overallRate instead releases a burst per tick and per connection, which queues requests behind each
// other and puts milliseconds into the tail of even a server answering a constant). The process also sends what has
// come due whenever answers wake it anyway, so at high rates calls go out spread over the millisecond instead of
// in one burst per tick.

export interface FixedRateFigures {
  p50: number;
  p99: number;
  max: number;
  ok: number;
  errors: number;
  firstError: string | null;
}

export function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** `call` resolves when the answer is complete and rejects for a failed call. */
export function runAtFixedRate(call: (n: number) => Promise<void>, rate: number, seconds: number): Promise<FixedRateFigures> {
  return new Promise((resolve) => new FixedRateRun(call, rate, seconds, resolve).start());
}

class FixedRateRun {
  private readonly latencies: number[] = [];
  private errors = 0;
  private firstError: string | null = null;
  private inFlight = 0;
  private readonly interval: number;
  private next = 0;
  private end = 0;
  private callsSent = 0;
  private sendDueArmed = false;
  private finished = false;
  private readonly sendDueSoon = () => {
    this.sendDueArmed = false;
    this.sendDue();
  };
  private readonly tick = () => {
    this.sendDue();
    if (this.scheduleDone()) this.finishIfIdle();
    else setTimeout(this.tick, Math.max(1, this.next - performance.now()));
  };

  constructor(
    private readonly call: (n: number) => Promise<void>,
    rate: number,
    private readonly seconds: number,
    private readonly resolve: (figures: FixedRateFigures) => void,
  ) {
    this.interval = 1000 / rate;
  }

  start(): void {
    this.next = performance.now();
    this.end = this.next + this.seconds * 1000;
    this.tick();
  }

  private scheduleDone(): boolean {
    return this.next >= this.end;
  }

  private sendDue(): void {
    const now = performance.now();
    while (this.next <= now && this.next < this.end) {
      this.send(this.callsSent++);
      this.next += this.interval;
    }
  }

  private send(n: number): void {
    const sentAt = performance.now();
    this.inFlight++;
    this.answer(n).then(
      () => {
        this.latencies.push(performance.now() - sentAt);
        this.settled();
      },
      (err: Error) => {
        this.errors++;
        this.firstError ??= err.message;
        this.settled();
      },
    );
  }

  /** A call that throws instead of rejecting fails like one that rejects: this runs from a timer, with no caller to throw to. */
  private answer(n: number): Promise<void> {
    try {
      return this.call(n);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Answers arrive in the poll phase; calls that came due meanwhile go out right after it, in the same loop turn. */
  private settled(): void {
    this.inFlight--;
    if (this.scheduleDone()) this.finishIfIdle();
    else if (!this.sendDueArmed) {
      this.sendDueArmed = true;
      setImmediate(this.sendDueSoon);
    }
  }

  private finishIfIdle(): void {
    if (this.inFlight > 0 || this.finished) return;
    this.finished = true;
    this.latencies.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    this.resolve({
      p50: round(percentile(this.latencies, 50)),
      p99: round(percentile(this.latencies, 99)),
      max: round(this.latencies[this.latencies.length - 1] ?? NaN),
      ok: this.latencies.length,
      errors: this.errors,
      firstError: this.firstError,
    });
  }
}
