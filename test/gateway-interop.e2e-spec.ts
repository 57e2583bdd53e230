import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { freePort, REPO_ROOT, ServiceProcess } from '@mlops/testing';
import { localKafkaConnection, localS3 } from '@mlops/config';

interface ClientResult {
  id: string;
  model_version: string;
  label: number[];
  probabilities: number[][];
}
interface InteropReport {
  http_json: ClientResult;
  http_binary: ClientResult;
  grpc: ClientResult & { inputs: { name: string; datatype: string; shape: string[] }[] };
  http_json_gzip: ClientResult;
  http_binary_deflate: ClientResult;
  grpc_gzip: ClientResult;
  onnxruntime: { label: number[]; probabilities: number[][] };
}

const MODEL_PATH = join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx');
const modelName = `e2e-triton-${randomUUID().slice(0, 8)}`;
const store = new ObjectStore(localS3('admin'));
const publisher = new EventPublisher(createKafka(localKafkaConnection('admin', 'e2e-gateway-interop')));

function runPython(args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('python3', [join(__dirname, 'fixtures', 'gateway', 'triton_interop.py'), ...args], { timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

describe('inference gateway interop: the stock tritonclient package talks to it over HTTP and gRPC unchanged, compressed or not', () => {
  let gateway: ServiceProcess;
  let grpcPort: number;

  beforeAll(async () => {
    gateway = await ServiceProcess.start('inference-gateway', {
      // Gateways on one host each need their own replica id (their own consumer group of deployment changes).
      MLOPS_GATEWAY_REPLICA_ID: `e2e-${randomUUID()}`,
      MLOPS_GATEWAY_GRPC_PORT: '0',
      MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
    });
    grpcPort = await gateway.grpcPort();
    await store.ensureBuckets(Object.values(BUCKETS));
    await publisher.connect();
    const stored = await store.putBuffer(BUCKETS.artifacts, `models/${modelName}/1/model.onnx`, readFileSync(MODEL_PATH));
    const champion = { version: 1, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
    const data = { modelName, revision: 1, champion, challenger: null, changedBy: 'e2e', reason: 'interop', effectiveFrom: new Date().toISOString() };
    await publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
    await gateway.waitUntilReady(`/v2/models/${modelName}/ready`, 90_000);
  });

  afterAll(async () => {
    await publisher.disconnect();
    await gateway?.stop();
  });

  it('gets the numbers onnxruntime computes, by HTTP JSON, HTTP binary tensors and gRPC, with and without compression', async () => {
    const rows = Array.from({ length: 4 }, (_, r) => Array.from({ length: 20 }, (_, c) => ((r * 31 + c * 7) % 17) / 4 - 2));
    const report = JSON.parse(await runPython([`127.0.0.1:${gateway.port}`, `127.0.0.1:${grpcPort}`, modelName, MODEL_PATH, JSON.stringify(rows)])) as InteropReport;
    expect(report.grpc.inputs).toEqual([{ name: 'X', datatype: 'FP32', shape: ['-1', '20'] }]);
    const clients = ['http_json', 'http_binary', 'grpc', 'http_json_gzip', 'http_binary_deflate', 'grpc_gzip'] as const;
    for (const [client, result] of clients.map((name) => [name, report[name]] as const)) {
      expect({ client, version: result.model_version, label: result.label }).toEqual({ client, version: '1', label: report.onnxruntime.label });
      result.probabilities.flat().forEach((p, i) => expect(p).toBeCloseTo(report.onnxruntime.probabilities.flat()[i], 6));
    }
    expect(clients.map((name) => report[name].id)).toEqual(['triton-http-False-None', 'triton-http-True-None', 'triton-grpc-None', 'triton-http-False-gzip', 'triton-http-True-deflate', 'triton-grpc-gzip']);
  });
});
