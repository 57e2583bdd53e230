// gRPC load by ghz (github.com/bojand/ghz), built with `go install` on first use. The load generator gets one core
// (--cpus 1): on this two-core machine the server under test needs the other.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROTO_PATH } from './floors/floor-server';
import type { Figures } from './load';

const GHZ_VERSION = 'v0.120.0';

function goBin(): string {
  return join(execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8' }).trim(), 'bin');
}

export function ensureGhz(): string {
  const ghz = join(goBin(), 'ghz');
  if (!existsSync(ghz)) {
    console.log(`installing ghz ${GHZ_VERSION} with go install (once)`);
    execFileSync('go', ['install', `github.com/bojand/ghz/cmd/ghz@${GHZ_VERSION}`], { stdio: 'inherit' });
  }
  return ghz;
}

/** ModelInfer of one FP32 row in raw_input_contents, as tritonclient sends it, in ghz's JSON form (bytes in base64). */
export function modelInferData(model: string, features: number[]): string {
  const raw = Buffer.from(Float32Array.from(features).buffer).toString('base64');
  return JSON.stringify({ model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, features.length] }], raw_input_contents: [raw] });
}

interface GhzReport {
  count: number;
  rps: number;
  errorDistribution?: Record<string, number>;
  latencyDistribution: { percentage: number; latency: number }[] | null;
}

export interface GrpcLoadOptions {
  port: number;
  data: string;
  seconds: number;
  /** Calls in flight, spread over `connections` HTTP/2 connections. */
  concurrency: number;
  connections: number;
  /** Calls a second; the maximum rate when absent. */
  rate?: number;
}

export function grpcLoad(ghz: string, options: GrpcLoadOptions): Promise<Figures> {
  const args = [
    '--insecure', '--proto', PROTO_PATH, '--call', 'inference.GRPCInferenceService.ModelInfer', '-d', options.data,
    '-c', String(options.concurrency), '--connections', String(options.connections), '-z', `${options.seconds}s`, '--cpus', '1', '-O', 'json',
    ...(options.rate ? ['--rps', String(options.rate)] : []),
    `127.0.0.1:${options.port}`,
  ];
  return new Promise((resolve, reject) =>
    execFile(ghz, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && !stdout) return reject(new Error(`ghz failed: ${err.message}\n${stderr}`));
      const report = JSON.parse(stdout) as GhzReport;
      // At the end of the run ghz closes its connections under the calls still in flight: those are not the server's.
      const cut = Object.entries(report.errorDistribution ?? {}).filter(([message]) => message.includes('use of closed network connection'));
      const errors = Object.values(report.errorDistribution ?? {}).reduce((sum, n) => sum + n, 0) - cut.reduce((sum, [, n]) => sum + n, 0);
      const answered = report.count - errors - cut.reduce((sum, [, n]) => sum + n, 0);
      const latency = (p: number) => (report.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? NaN) / 1e6;
      resolve({ rps: report.rps, p50: latency(50), p99: latency(99), errors, count: answered });
    }),
  );
}
