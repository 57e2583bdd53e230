/**
 * Upload throughput of a ~100 MB ONNX artifact with the registry's RSS while it streams, and latency of version
 * lookups, against a real registry process with real Postgres, MinIO and Kafka.
 *
 * Run: node -r @swc-node/register bench/registry/upload-and-lookup.bench.ts [megabytes=100] [lookups=2000]
 * Needs python3 with onnx and numpy (test/requirements.txt) to make the model at run time.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { publishTestKeys, serviceTestKey, testAuth } from '@mlops/testing';

const REPO = join(__dirname, '..', '..');
const MiB = 1024 * 1024;
const megabytes = Number(process.argv[2] ?? 100);
const lookups = Number(process.argv[3] ?? 2000);
const uploads = 3;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** Samples the process's RSS every 20 ms until stopped; answers the peak. */
function sampleRss(pid: number): { stop: () => Promise<number> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await rssBytes(pid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return peak;
    },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const mb = (bytes: number) => (bytes / MiB).toFixed(1);

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('registry did not become ready');
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-registry-bench-'));
  const modelFile = join(scratch, 'large.onnx');
  let registry: ChildProcess | undefined;
  try {
    execFileSync('python3', [join(REPO, 'test/fixtures/make_models.py'), '--large', modelFile, String(megabytes)], { stdio: 'inherit' });
    const size = (await stat(modelFile)).size;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await publishTestKeys();
    registry = spawn(process.execPath, ['-r', '@swc-node/register', join('services', 'registry', 'src', 'main.ts')], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MLOPS_HTTP_HOST: '127.0.0.1', MLOPS_HTTP_PORT: String(port), MLOPS_LOG_LEVEL: 'warn', MLOPS_SERVICE_API_KEY: serviceTestKey('registry') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const pid = registry.pid as number;
    await waitReady(url);
    const model = `bench-${Date.now().toString(36)}`;
    const created = await fetch(`${url}/models`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...testAuth() },
      body: JSON.stringify({ name: model, owner: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`create model: ${created.status} ${await created.text()}`);

    const idleRss = await rssBytes(pid);
    console.log(`artifact: ${mb(size)} MiB valid ONNX model; registry RSS idle: ${mb(idleRss)} MiB`);
    for (let i = 1; i <= uploads; i++) {
      const sampler = sampleRss(pid);
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/models/${model}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), ...testAuth() },
        body: Readable.toWeb(createReadStream(modelFile)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const peak = await sampler.stop();
      const body = (await response.json()) as { version?: number; message?: string };
      if (response.status !== 201) throw new Error(`upload: ${response.status} ${body.message}`);
      console.log(
        `upload ${i}: version ${body.version} in ${seconds.toFixed(2)} s = ${(size / MiB / seconds).toFixed(1)} MiB/s end to end ` +
          `(receive, ONNX inspection, MinIO put); registry peak RSS ${mb(peak)} MiB (+${mb(peak - idleRss)} over idle)`,
      );
    }

    const latencies: number[] = [];
    for (let i = 0; i < lookups; i++) {
      const version = (i % uploads) + 1;
      const started = process.hrtime.bigint();
      const response = await fetch(`${url}/models/${model}/versions/${version}`, { headers: testAuth() });
      await response.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (response.status !== 200) throw new Error(`lookup: ${response.status}`);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `version lookups (GET /models/:name/versions/:v, sequential, ${lookups}): ` +
        `p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms`,
    );
  } finally {
    registry?.kill('SIGTERM');
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exitCode = 1;
});
