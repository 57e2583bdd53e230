// gRPC load by ghz, a Go load generator: it drives the gateway from its own process with little CPU per call, so
// the figures measure the gateway rather than a Node client competing with it for the same two cores.
// Built once from the Go module proxy into the platform cache (like deploy/local/infra builds MinIO), pinned.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '@mlops/config';
import { REPO_ROOT } from '@mlops/testing';
import type { Figures } from './load';

const GHZ_VERSION = 'v0.120.0';
const GHZ_MODULE = `github.com/bojand/ghz/cmd/ghz@${GHZ_VERSION}`;
const run = promisify(execFile);

/** The ghz binary of the pinned version, built with `go install` the first time it is missing. */
export async function ensureGhz(): Promise<string> {
  const { MLOPS_CACHE } = loadConfig(z.object({ MLOPS_CACHE: z.string().default(join(homedir(), '.cache', 'mlops')) }));
  const dir = join(MLOPS_CACHE, `ghz-${GHZ_VERSION}`);
  const binary = join(dir, 'ghz');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  console.error(`building ghz (${GHZ_MODULE}) with the Go toolchain into ${dir}; once`);
  await run('go', ['install', GHZ_MODULE], { env: { ...process.env, GOBIN: dir, GOFLAGS: '-buildvcs=false' }, maxBuffer: 16 * 1024 * 1024 });
  return binary;
}

/**
 * ModelInfer on the gateway's GRPCInferenceService as tritonclient sends it: one FP32 [1, n] input in
 * raw_input_contents. Calls spread over 4 HTTP/2 connections; ghz kept to one core, the gateway has the other.
 */
export async function modelInferLoad(options: { port: number; model: string; features: number[]; concurrency: number; seconds: number; rate?: number }): Promise<Figures> {
  return ghzLoad({
    ghz: await ensureGhz(),
    target: `127.0.0.1:${options.port}`,
    proto: join(REPO_ROOT, 'proto', 'inference', 'grpc_predict_v2.proto'),
    call: 'inference.GRPCInferenceService.ModelInfer',
    request: {
      model_name: options.model,
      inputs: [{ name: 'X', datatype: 'FP32', shape: [1, options.features.length] }],
      raw_input_contents: [Buffer.from(Float32Array.from(options.features).buffer).toString('base64')],
    },
    concurrency: options.concurrency,
    connections: 4,
    seconds: options.seconds,
    rate: options.rate,
    cpus: 1,
  });
}

interface GhzOptions {
  ghz: string;
  target: string;
  proto: string;
  /** Fully qualified: package.Service.Method */
  call: string;
  /** The request message in protobuf JSON (bytes fields base64). */
  request: unknown;
  /** Calls in flight at the maximum rate. */
  concurrency: number;
  /** HTTP/2 connections the calls are spread over. */
  connections: number;
  seconds: number;
  /** Fixed rate (open loop, calls sent on schedule whether or not earlier ones returned); maximum rate when absent. */
  rate?: number;
  /** Go threads ghz may run on, so it leaves the gateway its core. */
  cpus: number;
}

/** What ghz -O json reports; durations in nanoseconds. */
interface GhzReport {
  count: number;
  total: number;
  rps: number;
  latencyDistribution: { percentage: number; latency: number }[] | null;
  statusCodeDistribution: Record<string, number> | null;
  errorDistribution: Record<string, number> | null;
}

async function ghzLoad(options: GhzOptions): Promise<Figures> {
  const args = [
    '--insecure',
    '--proto', options.proto,
    '--call', options.call,
    '--data', JSON.stringify(options.request),
    '--concurrency', String(options.concurrency),
    '--connections', String(options.connections),
    '--duration', `${options.seconds}s`,
    '--cpus', String(options.cpus),
    '--format', 'json',
    ...(options.rate ? ['--rps', String(options.rate), '--async'] : []),
    options.target,
  ];
  const child = spawn(options.ghz, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  // Its CPU time, read while it runs: the last reading before it exits misses at most the final report.
  let cpuSeconds = 0;
  const sampler = setInterval(() => (cpuSeconds = processCpuSeconds(child.pid as number) ?? cpuSeconds), 100);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`ghz exited with ${code}: ${Buffer.concat(err).toString()}`);
  const figures = figuresOf(JSON.parse(Buffer.concat(out).toString()) as GhzReport);
  return { ...figures, clientCpuUsPerRequest: (cpuSeconds * 1e6) / Math.max(1, figures.count) };
}

function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Calls still in flight when the duration ends are cut by ghz itself closing its connections: not failures. */
const CUT_AT_END = /use of closed network connection|code = Canceled/;

function figuresOf(report: GhzReport): Figures {
  const ok = report.statusCodeDistribution?.OK ?? 0;
  const cut = Object.entries(report.errorDistribution ?? {}).reduce((total, [message, count]) => total + (CUT_AT_END.test(message) ? count : 0), 0);
  const latencyMs = (percentage: number) => (report.latencyDistribution?.find((d) => d.percentage === percentage)?.latency ?? NaN) / 1e6;
  return { rps: ok / (report.total / 1e9), p50: latencyMs(50), p99: latencyMs(99), errors: report.count - ok - cut, count: ok };
}
