// Inference gateway throughput and latency on the 20-feature logistic regression fixture, next to two limits
// measured in the same run: onnxruntime-node called in-process in a tight loop, and a bare Node HTTP server
// answering a constant. The bare server is loaded with the very requests the gateway gets (the same POST body,
// read and discarded), and for reference with body-less GETs. HTTP load by autocannon, gRPC ModelInfer by h2load
// (h2load.ts); batch 1 (dynamic batching off) and with dynamic batching (the default for this model); then p99 at
// half of each maximum rate, by h2load over HTTP/1.1 and HTTP/2, with a bare server's p99 at the same rate beside
// each (Node's HTTP server for HTTP, node:http2 answering an empty gRPC message for gRPC): the tail this machine and
// load generator give an answer that costs nothing. HTTP runs at the maximum rate also print the machine's busy and
// idle time per request (both cores, from /proc/stat), which the summary sets against the CPU budget the 50% target
// leaves; a calibration run loads the bare server made to spend 10 µs more per request, and a last run holds the
// prediction log to one record to show what logging every prediction takes of it.
// Prints figures; asserts nothing.
//   node -r @swc-node/register bench/gateway/gateway.bench.ts [seconds=10] [connections=32]
import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher, TopicProvisioner } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { freePort, getJson, REPO_ROOT, ServiceProcess, waitFor } from '@mlops/testing';
import { ensureH2load, http1PostsAtRate, modelInferFrame, modelInferLoad } from './h2load';
import { Figures, httpLoad, percentile, row } from './load';
import { localKafkaConnection, localS3 } from '@mlops/config';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 32);
const MODEL_BYTES = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx'));
const FEATURES = Array.from({ length: 20 }, (_, i) => Math.sin(i) * 2);
const HTTP_BODY = JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: FEATURES }] });
let bareRps = NaN;
let bareGetRps = NaN;
let bareMachineUs = NaN;

async function inProcessLoop(): Promise<Figures> {
  const session = await InferenceSession.create(MODEL_BYTES);
  const input = new Tensor('float32', Float32Array.from(FEATURES), [1, 20]);
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (performance.now() < deadline) {
    const t = performance.now();
    await session.run({ X: input });
    latencies.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpuBefore);
  const elapsed = (performance.now() - started) / 1000;
  await session.release();
  latencies.sort((a, b) => a - b);
  const count = latencies.length;
  return { rps: count / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: 0, count, cpuUsPerRequest: (cpu.user + cpu.system) / count };
}

function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface BareServer {
  port: number;
  child: ChildProcess;
}

/** A server process from a script listening on `PORT` that prints once it listens. */
async function spawnServer(script: string): Promise<BareServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', script.replace('PORT', String(port))], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout?.once('data', resolve));
  return { port, child };
}

/** `workUs`: microseconds of synchronous work (a spin) before each answer, for the calibration run only. */
const bareHttpServer = (workUs = 0) =>
  spawnServer(
    `require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => { ${workUs > 0 ? `const t = performance.now(); while (performance.now() - t < ${workUs / 1000});` : ''} res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"ok":true}'); }); }).listen(PORT, '127.0.0.1', () => console.log('up'));`,
  );

/** What a server that does this much more work per request, on its one thread, reaches here under the same load. */
const CALIBRATION_WORK_US = 10;

async function calibrate(): Promise<void> {
  const server = await bareHttpServer(CALIBRATION_WORK_US);
  try {
    const figures = await warmedHttpLoad(`http://127.0.0.1:${server.port}/`);
    console.log(row(`bare Node HTTP server spending ${CALIBRATION_WORK_US} us per request before answering`, figures));
    summary.push(
      `  calibration: a bare server doing ${CALIBRATION_WORK_US} us more work per request on its thread reaches ${((100 * figures.rps) / bareRps).toFixed(0)}% of the bare rate ` +
        `(machine ${figures.machine?.busyUsPerRequest.toFixed(0)} us busy + ${figures.machine?.idleUsPerRequest.toFixed(0)} idle a request): about what the 50% target leaves the gateway`,
    );
  } finally {
    server.child.kill();
  }
}

/** node:http2 answering every call with an empty gRPC message and grpc-status 0: the floor for the gRPC fixed-rate run. */
const bareGrpcServer = () =>
  spawnServer(
    `const s = require('node:http2').createServer(); s.on('stream', (stream) => { stream.resume(); stream.on('end', () => { stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true }); stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' })); stream.end(Buffer.alloc(5)); }); }); s.listen(PORT, '127.0.0.1', () => console.log('up'));`,
  );

interface Gateway {
  process: ServiceProcess;
  grpcPort: number;
}

async function startGateway(model: string, env: Record<string, string>): Promise<Gateway> {
  const grpcPort = await freePort();
  const gateway = await ServiceProcess.start('inference-gateway', {
    MLOPS_LOG_LEVEL: 'warn',
    MLOPS_GATEWAY_GRPC_PORT: String(grpcPort),
    MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
    ...env,
  });
  await waitFor('gateway serving the model', async () => (await getJson(`${gateway.url}/v2/models/${model}/ready`)).status === 200, { timeoutMs: 120_000 });
  return { process: gateway, grpcPort };
}

async function gatewayCpuSeconds(gateway: Gateway): Promise<number> {
  const metrics = String((await getJson(`${gateway.process.url}/metrics`)).body).split('\n');
  return Number(metrics.find((l) => l.startsWith('process_cpu_seconds_total'))?.split(' ').pop() ?? NaN);
}

/** Server CPU time per answered request: robust to other load on the machine, unlike req/s. */
async function withCpu(figures: Promise<Figures>, cpuSeconds: () => Promise<number>): Promise<Figures> {
  const before = await cpuSeconds();
  const result = await figures;
  return { ...result, cpuUsPerRequest: ((await cpuSeconds()) - before) * 1e6 / result.count };
}

async function gatewayCounters(gateway: Gateway): Promise<string> {
  const metrics = String((await getJson(`${gateway.process.url}/metrics`)).body).split('\n');
  const sum = (prefix: string) => metrics.filter((l) => l.startsWith(prefix)).reduce((total, l) => total + Number(l.split(' ').pop()), 0);
  const rssMb = sum('process_resident_memory_bytes') / 2 ** 20;
  return `prediction logs published ${sum('mlops_inference_gateway_prediction_log_published_total')}, dropped ${sum('mlops_inference_gateway_prediction_log_dropped_total')}; gateway RSS ${rssMb.toFixed(0)} MiB`;
}

/** ModelInfer calls the gateway answered OK over gRPC: h2load itself cannot see grpc-status. */
async function grpcOk(gateway: Gateway): Promise<number> {
  const metrics = String((await getJson(`${gateway.process.url}/metrics`)).body).split('\n');
  return metrics
    .filter((l) => l.startsWith('mlops_inference_gateway_infer_requests_total{') && l.includes('protocol="grpc"') && l.includes('status="ok"'))
    .reduce((total, l) => total + Number(l.split(' ').pop()), 0);
}

/** Calls h2load counted as answered that the gateway did not answer OK are errors. */
async function withGrpcCheck(gateway: Gateway, figures: () => Promise<Figures>): Promise<Figures> {
  const before = await grpcOk(gateway);
  const result = await figures();
  const ok = (await grpcOk(gateway)) - before;
  return { ...result, errors: result.errors + Math.max(0, result.count - ok) };
}

/** HTTP POSTs at the maximum rate after a 2 s warm-up, with the server's CPU per request when `cpuSeconds` is given. */
async function warmedHttpLoad(url: string, cpuSeconds?: () => Promise<number>): Promise<Figures> {
  await httpLoad({ url, body: HTTP_BODY, connections: CONNECTIONS, seconds: 2 });
  const load = httpLoad({ url, body: HTTP_BODY, connections: CONNECTIONS, seconds: SECONDS });
  return cpuSeconds ? withCpu(load, cpuSeconds) : load;
}

/** What the issue's targets are judged on, in one place at the end of the run. */
const summary: string[] = [];

async function measureGateway(label: string, gateway: Gateway, model: string, bareUrl: string, bareGrpcPort: number): Promise<void> {
  const url = `${gateway.process.url}/v2/models/${model}/infer`;
  const frame = modelInferFrame(model, FEATURES);
  // At the maximum rate, 4 connections of CONNECTIONS / 4 streams each: as many calls in flight as HTTP connections.
  // At a fixed rate, CONNECTIONS connections of one stream, as the HTTP/1.1 run: h2load paces many streams on a
  // connection in bursts, and a bare node:http2 server answering a constant then showed 4.7 ms mean latency at
  // 16k calls/s (-c32 -m64) against 1.6 ms with one stream a connection.
  const grpcLoadOn = (port: number, seconds: number, rate?: number) =>
    modelInferLoad({ port, frame, seconds, rate, ...(rate ? { connections: CONNECTIONS, streams: 1 } : { connections: 4, streams: Math.max(1, CONNECTIONS / 4) }) });
  const grpcLoad = (seconds: number, rate?: number) => withGrpcCheck(gateway, () => grpcLoadOn(gateway.grpcPort, seconds, rate));
  const cpu = () => gatewayCpuSeconds(gateway);
  const http = await warmedHttpLoad(url, cpu);
  console.log(row(`gateway HTTP, ${label}, max rate`, http));
  await grpcLoad(2);
  const rpc = await withCpu(grpcLoad(SECONDS), cpu);
  console.log(row(`gateway gRPC, ${label}, max rate`, rpc));
  // Fixed rate at half the maximum just measured: the tail without saturation.
  const halfRate = Math.round(http.rps / 2);
  const httpHalf = await http1PostsAtRate({ url, body: HTTP_BODY, connections: CONNECTIONS, seconds: SECONDS, rate: halfRate });
  console.log(row(`gateway HTTP, ${label}, at ${halfRate} req/s (half max)`, httpHalf));
  const bareHalf = await http1PostsAtRate({ url: bareUrl, body: HTTP_BODY, connections: CONNECTIONS, seconds: SECONDS, rate: halfRate });
  console.log(row(`bare Node HTTP server, the same POSTs at ${halfRate} req/s`, bareHalf));
  summary.push(
    `  HTTP ${label}: ${Math.round(http.rps).toLocaleString('en-US')} req/s = ${((100 * http.rps) / bareRps).toFixed(0)}% of the bare server on the same requests (target >= 50%; ${((100 * http.rps) / bareGetRps).toFixed(0)}% of its GET rate), ` +
      `p99 at half max ${httpHalf.p99.toFixed(2)} ms (target <= 5 ms; the bare server's ${bareHalf.p99.toFixed(2)} ms), gateway CPU ${http.cpuUsPerRequest?.toFixed(0)} us/req`,
    machineBudget(http),
  );
  const rpcHalfRate = Math.round(rpc.rps / 2);
  const rpcHalf = await grpcLoad(SECONDS, rpcHalfRate);
  console.log(row(`gateway gRPC, ${label}, at ${rpcHalfRate} req/s (half max)`, rpcHalf));
  const bareRpcHalf = await grpcLoadOn(bareGrpcPort, SECONDS, rpcHalfRate);
  console.log(row(`bare node:http2 server answering a constant, at ${rpcHalfRate} req/s`, bareRpcHalf));
  const rpcLine =
    `  gRPC ${label}: ${((100 * rpc.rps) / http.rps).toFixed(0)}% of the HTTP rate (target >= 100%), ` +
    `p99 at half max ${rpcHalf.p99.toFixed(2)} ms (target <= 5 ms; the bare HTTP/2 server's ${bareRpcHalf.p99.toFixed(2)} ms), gateway CPU ${rpc.cpuUsPerRequest?.toFixed(0)} us/req`;
  console.log(rpcLine);
  summary.push(rpcLine);
  await new Promise((resolve) => setTimeout(resolve, 500));
  console.log(`  ${label}: ${await gatewayCounters(gateway)}`);
}

async function main(): Promise<void> {
  await ensureH2load();
  console.log(`load average at start ${loadAverage()}`);
  console.log(`gateway benchmark: ${SECONDS}s per run, ${CONNECTIONS} connections / calls in flight, model sklearn-logreg-20 (1 row per request)`);
  const model = `bench-gw-${randomUUID().slice(0, 8)}`;
  const store = new ObjectStore(localS3('admin'));
  await store.ensureBuckets(Object.values(BUCKETS));
  const stored = await store.putBuffer(BUCKETS.artifacts, `models/${model}/1/model.onnx`, MODEL_BYTES);
  const kafka = createKafka(localKafkaConnection('admin', 'bench-gateway'));
  await new TopicProvisioner(kafka).ensureTopics();
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const champion = { version: 1, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
  const data = { modelName: model, revision: 1, champion, challenger: null, changedBy: 'bench', reason: 'bench', effectiveFrom: new Date().toISOString() };
  await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
  await publisher.disconnect();

  console.log(row('onnxruntime-node in-process tight loop (one caller)', await inProcessLoop()));
  const bare = await bareHttpServer();
  const bareUrl = `http://127.0.0.1:${bare.port}/`;
  const bareGrpc = await bareGrpcServer();
  try {
    await httpLoad({ url: bareUrl, body: HTTP_BODY, connections: CONNECTIONS, seconds: 2 });
    const cpu = async () => processCpuSeconds(bare.child.pid as number);
    const figures = await withCpu(httpLoad({ url: bareUrl, body: HTTP_BODY, connections: CONNECTIONS, seconds: SECONDS }), cpu);
    bareRps = figures.rps;
    bareMachineUs = figures.machine?.busyUsPerRequest ?? NaN;
    console.log(row('bare Node HTTP server answering a constant, the same POSTs', figures));
    const gets = await withCpu(httpLoad({ url: bareUrl, connections: CONNECTIONS, seconds: SECONDS }), cpu);
    bareGetRps = gets.rps;
    console.log(row('bare Node HTTP server answering a constant, body-less GETs', gets));
    await calibrate();
    for (const [label, env] of [
      ['batching off (batch 1)', { MLOPS_GATEWAY_BATCH_MAX_SIZE: '0' }],
      ['dynamic batching 32 rows / 500 us (default for small models)', {}],
    ] as const) {
      const gateway = await startGateway(model, env);
      try {
        await measureGateway(label, gateway, model, bareUrl, bareGrpc.port);
      } finally {
        await gateway.process.stop();
      }
    }
    await measureLoggingCost(model);
  } finally {
    bare.child.kill();
    bareGrpc.child.kill();
  }
  console.log('summary (load generator in this process; its CPU per request is printed with each HTTP row):');
  console.log(summary.join('\n'));
  console.log(`load average at end ${loadAverage()} (other work on the machine shows in req/s and latency; CPU per request is less sensitive to it)`);
}

/**
 * The HTTP target as a CPU budget: what both cores can give a request at 50% of the bare rate, against what the
 * gateway's run took of them (load generator, broker and log worker included, as the bare run's figure includes its
 * load generator), and the rate it would reach if the machine were never idle.
 */
function machineBudget(http: Figures): string {
  if (!http.machine) return '    machine time not measured';
  const cores = cpus().length;
  const { busyUsPerRequest: busy, idleUsPerRequest: idle } = http.machine;
  const neverIdle = (cores * 1e6) / busy;
  return (
    `    machine time per request: ${busy.toFixed(0)} us busy + ${idle.toFixed(0)} us idle (the bare server's run: ${bareMachineUs.toFixed(0)} us busy); ` +
    `at 50% of the bare rate the ${cores} cores have ${((cores * 1e6) / (bareRps / 2)).toFixed(0)} us a request; never idle, this run would reach ` +
    `${Math.round(neverIdle).toLocaleString('en-US')} req/s = ${((100 * neverIdle) / bareRps).toFixed(0)}% of bare`
  );
}

/** The same HTTP run with the prediction log held to one record: how much of the machine logging every prediction takes. */
async function measureLoggingCost(model: string): Promise<void> {
  const gateway = await startGateway(model, { MLOPS_GATEWAY_PREDICTION_LOG_BUFFER: '1' });
  try {
    const http = await warmedHttpLoad(`${gateway.process.url}/v2/models/${model}/infer`, () => gatewayCpuSeconds(gateway));
    console.log(row('gateway HTTP, batching, prediction log held to 1 record (not a mode to run)', http));
    summary.push(`  HTTP batching with nearly every prediction log dropped, to show its cost: ${((100 * http.rps) / bareRps).toFixed(0)}% of the bare server`, machineBudget(http));
  } finally {
    await gateway.process.stop();
  }
}

function loadAverage(): string {
  return loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
