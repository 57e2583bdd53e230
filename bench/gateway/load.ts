// Load generators and figures shared by the gateway benchmark: autocannon for HTTP, a small unary-call driver
// over @grpc/grpc-js for gRPC (closed loop for the maximum rate, open loop for a fixed rate).
import autocannon from 'autocannon';
import * as grpc from '@grpc/grpc-js';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  count: number;
  cpuUsPerRequest?: number;
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))];
}

export async function httpLoad(options: { url: string; body?: string; connections: number; seconds: number; rate?: number }): Promise<Figures> {
  const result = await autocannon({
    url: options.url,
    method: options.body ? 'POST' : 'GET',
    body: options.body,
    headers: options.body ? { 'content-type': 'application/json' } : {},
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, count: result.requests.total - result.non2xx };
}

type Unary = (request: unknown, callback: (err: grpc.ServiceError | null) => void) => void;

/**
 * Closed loop: `concurrency` calls always in flight. Open loop (rate given): calls start on schedule whether or
 * not earlier ones returned, and latency counts from the scheduled start, so queueing shows in the tail.
 */
export async function grpcLoad(call: Unary, request: unknown, options: { concurrency: number; seconds: number; rate?: number }): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const once = (scheduled: number) =>
    new Promise<void>((resolve) =>
      call(request, (err) => {
        if (err) errors++;
        else latencies.push(performance.now() - scheduled);
        resolve();
      }),
    );
  const started = performance.now();
  if (options.rate) {
    const inFlight: Promise<void>[] = [];
    const interval = 1000 / options.rate;
    let next = performance.now();
    while (next < deadline) {
      while (next <= performance.now() && next < deadline) {
        inFlight.push(once(next));
        next += interval;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(inFlight);
  } else {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (performance.now() < deadline) await once(performance.now());
      }),
    );
  }
  const elapsed = (Math.min(performance.now(), deadline + 1000) - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors, count: latencies.length };
}

export function row(label: string, figures: Figures): string {
  const rps = Math.round(figures.rps).toLocaleString('en-US').padStart(9);
  const cpu = figures.cpuUsPerRequest === undefined ? '' : `   server CPU ${figures.cpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  return `${label.padEnd(66)} ${rps} req/s   p50 ${figures.p50.toFixed(2).padStart(7)} ms   p99 ${figures.p99.toFixed(2).padStart(7)} ms   errors ${figures.errors}${cpu}`;
}
