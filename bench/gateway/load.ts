// HTTP load by autocannon, at the maximum rate or at a fixed one, and the figures every line of the benchmark prints.
import autocannon from 'autocannon';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  count: number;
  /** The server process's CPU time per answered request. */
  cpuUsPerRequest?: number;
}

export interface HttpLoadOptions {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  /** Requests a second over all connections; the maximum rate when absent. */
  rate?: number;
}

export async function httpLoad(options: HttpLoadOptions): Promise<Figures> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    body: options.body,
    headers: { 'content-type': 'application/json' },
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, count: result.requests.total - result.non2xx };
}

export function row(label: string, figures: Figures): string {
  const rps = Math.round(figures.rps).toLocaleString('en-US').padStart(7);
  const cpu = figures.cpuUsPerRequest === undefined ? '' : `   server CPU ${figures.cpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  return `${label.padEnd(64)} ${rps} req/s   p50 ${figures.p50.toFixed(2).padStart(6)} ms   p99 ${figures.p99.toFixed(2).padStart(6)} ms   errors ${figures.errors}${cpu}`;
}
