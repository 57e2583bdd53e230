// HTTP load at full speed by autocannon, and the figures shared by the gateway benchmark; load at a fixed rate, and
// gRPC load, is h2load's (h2load.ts).
import autocannon from 'autocannon';

export interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  count: number;
  cpuUsPerRequest?: number;
  /** The load generator's own CPU per request: near a whole core's worth at the rate, it would be the bottleneck. */
  clientCpuUsPerRequest?: number;
}

export { percentile } from '../fixed-rate';

export async function httpLoad(options: { url: string; body?: string; connections: number; seconds: number }): Promise<Figures> {
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: options.url,
    method: options.body ? 'POST' : 'GET',
    body: options.body,
    headers: options.body ? { 'content-type': 'application/json' } : {},
    connections: options.connections,
    duration: options.seconds,
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  const cpu = process.cpuUsage(cpuBefore);
  const count = result.requests.total - result.non2xx;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, count, clientCpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, result.requests.total) };
}

export function row(label: string, figures: Figures): string {
  const rps = Math.round(figures.rps).toLocaleString('en-US').padStart(9);
  const cpu = figures.cpuUsPerRequest === undefined ? '' : `   server CPU ${figures.cpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  const client = figures.clientCpuUsPerRequest === undefined ? '' : `   load generator CPU ${figures.clientCpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  return `${label.padEnd(66)} ${rps} req/s   p50 ${figures.p50.toFixed(2).padStart(7)} ms   p99 ${figures.p99.toFixed(2).padStart(7)} ms   errors ${figures.errors}${cpu}${client}`;
}
