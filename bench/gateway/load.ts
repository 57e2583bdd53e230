// HTTP load at full speed by autocannon, and the figures shared by the gateway benchmark; load at a fixed rate, and
// gRPC load, is h2load's (h2load.ts).
import { readFileSync } from 'node:fs';
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
  /** Both cores' time per request, everything on the machine counted (server, load generator, broker, kernel). */
  machine?: MachineTime;
}

export interface MachineTime {
  busyUsPerRequest: number;
  idleUsPerRequest: number;
}

/** Cumulative busy and idle time of all CPUs, in µs, from the first line of /proc/stat (fields in 10 ms ticks). */
function machineTimes(): { busy: number; idle: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) * 1e4, idle: (idle + iowait) * 1e4 };
}

export { percentile } from '../fixed-rate';

export async function httpLoad(options: { url: string; body?: string; connections: number; seconds: number }): Promise<Figures> {
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineTimes();
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
  const machineAfter = machineTimes();
  const count = result.requests.total - result.non2xx;
  const total = Math.max(1, result.requests.total);
  const machine = { busyUsPerRequest: (machineAfter.busy - machineBefore.busy) / total, idleUsPerRequest: (machineAfter.idle - machineBefore.idle) / total };
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors, count, clientCpuUsPerRequest: (cpu.user + cpu.system) / total, machine };
}

export function row(label: string, figures: Figures): string {
  const rps = Math.round(figures.rps).toLocaleString('en-US').padStart(9);
  const cpu = figures.cpuUsPerRequest === undefined ? '' : `   server CPU ${figures.cpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  const client = figures.clientCpuUsPerRequest === undefined ? '' : `   load generator CPU ${figures.clientCpuUsPerRequest.toFixed(0).padStart(4)} us/req`;
  const machine = figures.machine ? `   machine ${figures.machine.busyUsPerRequest.toFixed(0)} us/req busy, ${figures.machine.idleUsPerRequest.toFixed(0)} idle` : '';
  return `${label.padEnd(66)} ${rps} req/s   p50 ${figures.p50.toFixed(2).padStart(7)} ms   p99 ${figures.p99.toFixed(2).padStart(7)} ms   errors ${figures.errors}${cpu}${client}${machine}`;
}
