// Inference gateway throughput and latency on the 20-feature logistic regression exported with skl2onnx, one row per
// request, each figure beside its same-library floor measured in the same run:
//   HTTP: the gateway (Nest on Fastify) against a naive Fastify + onnxruntime-node OIP server (floors/), by autocannon;
//   gRPC: the gateway (Nest's gRPC transport on grpc-js) against a naive @grpc/grpc-js + onnxruntime-node ModelInfer
//   server, by ghz; and the same naive server through Nest's gRPC transport, to price the transport's layers.
// The gateway runs as deployed: validation against the signature, metrics, prediction log to Kafka, dynamic batching
// (the default for this model). Targets: HTTP >= 60% of the naive Fastify rate, gRPC >= 70% of the naive grpc-js
// rate, p99 <= 5 ms at half the gateway's maximum rate; Nest's transport within 15% of grpc-js used directly.
// Prints figures and the load average; asserts nothing. Other work on the machine shows in every figure.
//   node -r @swc-node/register bench/gateway/gateway.bench.ts [seconds=10] [connections=32]
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createEvent, createHttpClient, inferenceGatewayRoutes, unlessNotFound } from '@mlops/contracts';
import { createKafka, EventPublisher, TopicProvisioner } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { freePort, getJson, REPO_ROOT, ServiceProcess, waitFor } from '@mlops/testing';
import { FloorServer, startFloor } from './floors/start-floor';
import { ensureGhz, grpcLoad, modelInferData } from './ghz';
import { Figures, httpLoad, row } from './load';
import { localKafkaConnection, localS3 } from '@mlops/config';

const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = Number(process.argv[3] ?? 32);
const MODEL_PATH = join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx');
const FEATURES = Array.from({ length: 20 }, (_, i) => Math.sin(i) * 2);
const HTTP_BODY = JSON.stringify({ inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: FEATURES }] });
/** gRPC calls in flight as many as HTTP connections, over a few HTTP/2 connections as a client pool would. */
const GRPC_CONNECTIONS = 4;

interface Gateway {
  process: ServiceProcess;
  grpcPort: number;
}

async function deployModel(): Promise<string> {
  const model = `bench-gw-${randomUUID().slice(0, 8)}`;
  const store = new ObjectStore(localS3('admin'));
  await store.ensureBuckets(Object.values(BUCKETS));
  const stored = await store.putBuffer(BUCKETS.artifacts, `models/${model}/1/model.onnx`, readFileSync(MODEL_PATH));
  const kafka = createKafka(localKafkaConnection('admin', 'bench-gateway'));
  await new TopicProvisioner(kafka).ensureTopics();
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const champion = { version: 1, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
  const data = { modelName: model, revision: 1, champion, challenger: null, changedBy: 'bench', reason: 'bench', effectiveFrom: new Date().toISOString() };
  await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
  await publisher.disconnect();
  return model;
}

async function startGateway(model: string): Promise<Gateway> {
  const grpcPort = await freePort();
  const gateway = await ServiceProcess.start('inference-gateway', {
    MLOPS_LOG_LEVEL: 'warn',
    MLOPS_GATEWAY_GRPC_PORT: String(grpcPort),
    MLOPS_GATEWAY_REPLICA_ID: `bench-${randomUUID()}`,
    MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
  });
  const client = createHttpClient(inferenceGatewayRoutes, { baseUrl: gateway.url });
  await waitFor('gateway serving the model', async () => (await unlessNotFound(client.modelReady({ params: { model } })))?.ready === true, { timeoutMs: 120_000 });
  // A new replica replays the whole deployment history of the broker (every test's models too): measure once it is done.
  let loads = -1;
  await waitFor('gateway done loading the deployment history', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const now = await gatewayMetric({ process: gateway, grpcPort }, 'mlops_inference_gateway_model_loads_total');
    const settled = now === loads;
    loads = now;
    return settled;
  }, { timeoutMs: 300_000 });
  return { process: gateway, grpcPort };
}

/** The gateway's counters, read from its own /metrics. */
async function gatewayMetric(gateway: Gateway, prefix: string): Promise<number> {
  const lines = String((await getJson(`${gateway.process.url}/metrics`)).body).split('\n');
  return lines.filter((line) => line.startsWith(prefix)).reduce((total, line) => total + Number(line.split(' ').pop()), 0);
}

/**
 * A run after a warm-up of the same load, with the server's CPU time per answered request. The gateway answered its
 * first few thousand requests at a fraction of its rate (V8 compiling Nest's, Fastify's and grpc-js's paths): 10 s of
 * warm-up in runs here.
 */
const WARM_UP_SECONDS = 10;

async function measured(load: (seconds: number) => Promise<Figures>, cpuSeconds: () => Promise<number> | number, warm = true): Promise<Figures> {
  if (warm) await load(WARM_UP_SECONDS);
  const before = await cpuSeconds();
  const figures = await load(SECONDS);
  return { ...figures, cpuUsPerRequest: (((await cpuSeconds()) - before) * 1e6) / Math.max(1, figures.count) };
}

async function main(): Promise<void> {
  const ghz = ensureGhz();
  console.log(`load average at start ${loadAverage()} (2 cores; other work on the machine shows in req/s and latency)`);
  console.log(`gateway benchmark: ${SECONDS} s per run, ${CONNECTIONS} connections / calls in flight, sklearn-logreg-20, 1 row per request`);
  const model = await deployModel();
  const grpcData = modelInferData(model, FEATURES);
  const http = (url: string, rate?: number) => (seconds: number) => httpLoad({ url: `${url}/v2/models/${model}/infer`, body: HTTP_BODY, connections: CONNECTIONS, seconds, rate });
  const rpc = (port: number, rate?: number) => (seconds: number) =>
    grpcLoad(ghz, { port, data: grpcData, seconds, concurrency: CONNECTIONS, connections: rate ? CONNECTIONS : GRPC_CONNECTIONS, rate });
  const floorUrl = (floor: FloorServer) => `http://127.0.0.1:${floor.port}`;
  const summary: string[] = [];

  const fastifyFloor = await startFloor('fastify-oip.server.ts', MODEL_PATH);
  const grpcFloor = await startFloor('grpc-js-model-infer.server.ts', MODEL_PATH);
  const nestFloor = await startFloor('nest-grpc-model-infer.server.ts', MODEL_PATH, String(await freePort()));
  const gateway = await startGateway(model);
  const gatewayCpu = () => gatewayMetric(gateway, 'process_cpu_seconds_total');
  try {
    const httpFloorMax = await measured(http(floorUrl(fastifyFloor)), fastifyFloor.cpuSeconds);
    console.log(row('naive Fastify + onnxruntime-node, max rate', httpFloorMax));
    const httpMax = await measured(http(gateway.process.url), gatewayCpu);
    console.log(row('gateway HTTP (Nest on Fastify), max rate', httpMax));
    const httpHalfRate = Math.round(httpMax.rps / 2);
    const httpHalf = await measured(http(gateway.process.url, httpHalfRate), gatewayCpu, false);
    console.log(row(`gateway HTTP at ${httpHalfRate} req/s (half its max)`, httpHalf));
    const httpFloorHalf = await measured(http(floorUrl(fastifyFloor), httpHalfRate), fastifyFloor.cpuSeconds, false);
    console.log(row(`naive Fastify server at ${httpHalfRate} req/s`, httpFloorHalf));

    const grpcFloorMax = await measured(rpc(grpcFloor.port), grpcFloor.cpuSeconds);
    console.log(row('naive @grpc/grpc-js + onnxruntime-node, max rate', grpcFloorMax));
    const nestFloorMax = await measured(rpc(nestFloor.port), nestFloor.cpuSeconds);
    console.log(row('the same through Nest gRPC transport, max rate', nestFloorMax));
    const grpcMax = await measured(rpc(gateway.grpcPort), gatewayCpu);
    console.log(row('gateway gRPC (Nest gRPC transport), max rate', grpcMax));
    const grpcHalfRate = Math.round(grpcMax.rps / 2);
    const grpcHalf = await measured(rpc(gateway.grpcPort, grpcHalfRate), gatewayCpu, false);
    console.log(row(`gateway gRPC at ${grpcHalfRate} calls/s (half its max)`, grpcHalf));
    const grpcFloorHalf = await measured(rpc(grpcFloor.port, grpcHalfRate), grpcFloor.cpuSeconds, false);
    console.log(row(`naive grpc-js server at ${grpcHalfRate} calls/s`, grpcFloorHalf));

    await new Promise((resolve) => setTimeout(resolve, 1000));
    const published = await gatewayMetric(gateway, 'mlops_inference_gateway_prediction_log_published_total');
    const dropped = await gatewayMetric(gateway, 'mlops_inference_gateway_prediction_log_dropped_total');
    const percent = (a: number, b: number) => `${((100 * a) / b).toFixed(0)}%`;
    summary.push(
      `  HTTP: ${percent(httpMax.rps, httpFloorMax.rps)} of the naive Fastify server's rate (target >= 60%); p99 at half max ${httpHalf.p99.toFixed(2)} ms (target <= 5 ms; the naive server's at that rate ${httpFloorHalf.p99.toFixed(2)} ms)`,
      `  gRPC: ${percent(grpcMax.rps, grpcFloorMax.rps)} of the naive grpc-js server's rate (target >= 70%); p99 at half max ${grpcHalf.p99.toFixed(2)} ms (target <= 5 ms; the naive server's at that rate ${grpcFloorHalf.p99.toFixed(2)} ms)`,
      `  Nest gRPC transport: ${percent(nestFloorMax.rps, grpcFloorMax.rps)} of grpc-js used directly on the same handler, ${percent(nestFloorMax.cpuUsPerRequest ?? NaN, grpcFloorMax.cpuUsPerRequest ?? NaN)} of its CPU per call (grpc-js directly if it cost more than 15% of the rate)`,
      `  prediction log: ${published} records published, ${dropped} dropped`,
    );
  } finally {
    await gateway.process.stop();
    for (const floor of [fastifyFloor, grpcFloor, nestFloor]) floor.child.kill();
  }
  console.log('summary:');
  console.log(summary.join('\n'));
  console.log(`load average at end ${loadAverage()}`);
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
