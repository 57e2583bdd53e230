// Load by h2load (nghttp2's load generator, from Debian's nghttp2-client), in C at a few microseconds of client CPU
// per call. gRPC ModelInfer: the same pre-encoded gRPC request POSTed on multiplexed HTTP/2 connections; ghz, the Go
// gRPC load generator, spends 85-160 us per call here, on the same two cores as the gateway, so a gRPC edge measured
// with it is mostly measured against ghz. HTTP/1.1 (--h1) at a fixed rate: our own open-loop driver in Node costs
// 50-90 us per call, and its own event loop shows in the tail it measures. h2load sees HTTP status only, not
// grpc-status, so for gRPC the caller checks the gateway's own count of calls answered OK against h2load's.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as protoLoader from '@grpc/proto-loader';
import { REPO_ROOT } from '@mlops/testing';
import { percentile } from '../fixed-rate';
import type { Figures } from './load';

const run = promisify(execFile);
const INFER_PATH = '/inference.GRPCInferenceService/ModelInfer';
const GRPC_HEADERS = ['content-type: application/grpc', 'te: trailers'];

/** h2load from Debian's packages, installed the first time it is missing (the bench runs as root, like the infra scripts). */
export async function ensureH2load(): Promise<string> {
  try {
    return (await run('sh', ['-c', 'command -v h2load'])).stdout.trim();
  } catch {
    console.error('installing h2load (Debian package nghttp2-client); once');
    await run('sh', ['-c', 'apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null'], { maxBuffer: 16 * 1024 * 1024 });
    return (await run('sh', ['-c', 'command -v h2load'])).stdout.trim();
  }
}

/** ModelInfer as tritonclient sends it: one FP32 [1, n] input in raw_input_contents, length-prefixed for gRPC. */
export function modelInferFrame(model: string, features: number[]): Buffer {
  const definition = protoLoader.loadSync(join(REPO_ROOT, 'proto', 'inference', 'grpc_predict_v2.proto'), { keepCase: true, longs: String, defaults: true });
  const method = (definition['inference.GRPCInferenceService'] as protoLoader.ServiceDefinition).ModelInfer;
  const message = method.requestSerialize({
    model_name: model,
    inputs: [{ name: 'X', datatype: 'FP32', shape: [1, features.length] }],
    raw_input_contents: [Buffer.from(Float32Array.from(features).buffer)],
  });
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

export interface GrpcLoadOptions {
  port: number;
  frame: Buffer;
  /** HTTP/2 connections; calls in flight = connections x streams at the maximum rate. */
  connections: number;
  streams: number;
  seconds: number;
  /** Calls per second over all connections (open loop); the maximum rate when absent. */
  rate?: number;
}

export function modelInferLoad(options: GrpcLoadOptions): Promise<Figures> {
  const url = `http://127.0.0.1:${options.port}${INFER_PATH}`;
  return h2load({ ...options, url, body: options.frame, headers: GRPC_HEADERS, http1: false });
}

/**
 * JSON POSTs over HTTP/1.1 keep-alive connections at a fixed rate, one request at a time on each (the way
 * autocannon and most clients send), so a slow answer holds back its connection's next request: enough connections
 * keep that rare at half the maximum rate.
 */
export function http1PostsAtRate(options: { url: string; body: string; connections: number; seconds: number; rate: number }): Promise<Figures> {
  return h2load({ ...options, body: Buffer.from(options.body), headers: ['content-type: application/json'], streams: 1, http1: true });
}

interface H2loadRun {
  url: string;
  body: Buffer;
  headers: string[];
  http1: boolean;
  connections: number;
  streams: number;
  seconds: number;
  rate?: number;
}

/** Latency is h2load's own per-call figure (its --log-file), from the call's start to the end of its response. */
async function h2load(options: H2loadRun): Promise<Figures> {
  const h2load = await ensureH2load();
  const dir = mkdtempSync(join(tmpdir(), 'mlops-h2load-'));
  try {
    writeFileSync(join(dir, 'request'), options.body);
    const args = [
      ...(options.http1 ? ['--h1'] : []),
      '-c', String(options.connections),
      '-m', String(options.streams),
      '-D', String(options.seconds),
      '-d', join(dir, 'request'),
      ...options.headers.flatMap((header) => ['-H', header]),
      `--log-file=${join(dir, 'calls')}`,
      ...(options.rate ? [`--rps=${options.rate / options.connections}`] : []),
      options.url,
    ];
    const child = spawn(h2load, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => out.push(chunk));
    let cpuSeconds = 0;
    const sampler = setInterval(() => (cpuSeconds = processCpuSeconds(child.pid as number) ?? cpuSeconds), 100);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearInterval(sampler);
    const text = Buffer.concat(out).toString();
    if (code !== 0) throw new Error(`h2load exited with ${code}: ${text}`);
    const figures = figuresOf(text, readFileSync(join(dir, 'calls'), 'utf8'), options.seconds);
    return { ...figures, clientCpuUsPerRequest: (cpuSeconds * 1e6) / Math.max(1, figures.count) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function figuresOf(report: string, calls: string, seconds: number): Figures {
  const requests = /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(report);
  if (!requests) throw new Error(`unexpected h2load report: ${report}`);
  const succeeded = Number(requests[4]);
  const durationsMs = calls
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'))
    .filter(([, status]) => status === '200')
    .map(([, , micros]) => Number(micros) / 1000)
    .sort((a, b) => a - b);
  return { rps: succeeded / seconds, p50: percentile(durationsMs, 50), p99: percentile(durationsMs, 99), errors: Number(requests[5]) + Number(requests[6]) + Number(requests[7]), count: succeeded };
}

function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
