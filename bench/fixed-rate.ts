// Open-loop load at a fixed rate: call n starts at start + n / rate whether or not earlier calls have returned, so
// a slow server shows as queueing in the tail instead of as a lower rate. Latency counts from the moment a call is
// sent. The schedule ticks on a 1 ms timer, which keeps this process from spinning a core the server needs, and
// sends every call that has come due, one by one (autocannon's overallRate instead releases a burst per tick and
// per connection, which queues requests behind each other and puts milliseconds into the tail of even a server
// answering a constant).

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
export async function runAtFixedRate(call: (n: number) => Promise<void>, rate: number, seconds: number): Promise<FixedRateFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / rate;
  const start = performance.now();
  const end = start + seconds * 1000;
  let next = start;
  let n = 0;
  while (next < end) {
    while (next <= performance.now() && next < end) {
      const sent = performance.now();
      const done: Promise<void> = call(n).then(
        () => void latencies.push(performance.now() - sent),
        (err: Error) => {
          errors++;
          firstError ??= err.message;
        },
      );
      const tracked = done.then(() => void inFlight.delete(tracked));
      inFlight.add(tracked);
      n++;
      next += interval;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    p50: round(percentile(latencies, 50)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies[latencies.length - 1] ?? NaN),
    ok: latencies.length,
    errors,
    firstError,
  };
}
