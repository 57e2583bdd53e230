import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Consumer } from 'kafkajs';
import { createEvent, decodeEvent, EventData, EventInput } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import { BUCKETS, ObjectStore, StoredObject } from '@mlops/storage';
import { freePort, getJson, REPO_ROOT, ServiceProcess, waitFor } from '@mlops/testing';
import { PROTO_OPTIONS, PROTO_PATH } from '../oip-grpc/oip-grpc-server';
import { localKafkaConnection, localS3 } from '@mlops/config';

export const MODEL_FIXTURE = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx'));

export type DeploymentInput = EventInput<'mlops.registry.deployment-changed'>;
export type Prediction = EventData<'mlops.predictions.logged'>;

interface ReadyDetail {
  models: { name: string; revision: number }[];
  failures: { modelName: string; revision: number; error: string }[];
}

/** Test support for the gateway's integration specs: a real gateway process, real MinIO and Kafka around it. */
export class GatewayHarness {
  readonly store = new ObjectStore(localS3('admin'));
  readonly kafka = createKafka(localKafkaConnection('admin', `gateway-spec-${randomUUID().slice(0, 8)}`));
  readonly publisher = new EventPublisher(this.kafka);
  grpcClient!: grpc.Client & Record<string, unknown>;
  private predictionConsumer: Consumer | null = null;
  readonly predictions: Prediction[] = [];

  grpcPort = 0;

  private constructor(readonly gateway: ServiceProcess) {}

  /** Points the gateway at a registry address where nothing listens: it must log that and follow events alone. */
  static async start(env: Record<string, string> = {}): Promise<GatewayHarness> {
    const gateway = await ServiceProcess.start('inference-gateway', {
      MLOPS_GATEWAY_GRPC_PORT: '0',
      MLOPS_GATEWAY_REPLICA_ID: testReplicaId(),
      MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
      MLOPS_GATEWAY_PREDICTION_LOG_FLUSH_MS: '20',
      MLOPS_GATEWAY_MAX_REQUEST_ROWS: '4',
      ...env,
    });
    const harness = new GatewayHarness(gateway);
    try {
      harness.grpcPort = await gateway.grpcPort();
      await harness.store.ensureBuckets(Object.values(BUCKETS));
      await harness.publisher.connect();
      await gateway.waitUntilReady('/v2/health/ready');
    } catch (err) {
      // The spec never gets this harness, so its afterAll cannot stop the gateway: a live child keeps Jest open.
      await harness.stop();
      throw err;
    }
    harness.grpcClient = harness.newGrpcClient();
    return harness;
  }

  /** A stock grpc-js client of GRPCInferenceService on its own connection; the caller closes it. */
  newGrpcClient(options: grpc.ChannelOptions = {}): grpc.Client & Record<string, unknown> {
    const definition = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS);
    const proto = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
    return new proto.inference.GRPCInferenceService(`127.0.0.1:${this.grpcPort}`, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1, ...options }) as never;
  }

  async stop(): Promise<void> {
    this.grpcClient?.close();
    await this.predictionConsumer?.disconnect();
    await this.publisher.disconnect();
    await this.gateway.stop();
  }

  async upload(modelName: string, version: number, bytes: Buffer = MODEL_FIXTURE): Promise<{ version: number; artifact: { uri: string; sha256: string; sizeBytes: number } }> {
    const stored: StoredObject = await this.store.putBuffer(BUCKETS.artifacts, `models/${modelName}/${version}/model.onnx`, bytes);
    return { version, artifact: { uri: stored.uri, sha256: stored.sha256, sizeBytes: stored.sizeBytes } };
  }

  async deploy(deployment: Omit<DeploymentInput, 'changedBy' | 'reason' | 'effectiveFrom'>): Promise<void> {
    const data: DeploymentInput = { changedBy: 'gateway-spec', reason: 'test', effectiveFrom: new Date().toISOString(), ...deployment };
    await this.publisher.publish('mlops.registry.deployment-changed', createEvent('mlops.registry.deployment-changed', data, { source: 'registry' }));
  }

  async readyDetail(): Promise<ReadyDetail> {
    return (await getJson<ReadyDetail>(`${this.gateway.url}/v2/health/ready`)).body;
  }

  async waitForRevision(modelName: string, revision: number): Promise<void> {
    await waitFor(`${modelName} revision ${revision} served`, async () => {
      const detail = await this.readyDetail();
      return detail.models?.some((model) => model.name === modelName && model.revision === revision);
    }, { timeoutMs: 60_000, intervalMs: 50 });
  }

  /** Collects the prediction logs of the given models from the topic, as any downstream consumer would. */
  async collectPredictions(modelNames: string[]): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: `gateway-spec-${randomUUID()}` });
    this.predictionConsumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: 'mlops.predictions.logged', fromBeginning: false });
    let assigned!: () => void;
    const joined = new Promise<void>((resolve) => (assigned = resolve));
    consumer.on(consumer.events.GROUP_JOIN, () => assigned());
    await consumer.run({
      eachMessage: async ({ message }) => {
        const decoded = decodeEvent('mlops.predictions.logged', message.value);
        if (decoded.ok && modelNames.includes(decoded.event.data.modelName)) this.predictions.push(decoded.event.data);
      },
    });
    await joined;
  }

  async inferHttp(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: InferBody }> {
    const response = await fetch(`${this.gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as InferBody };
  }

  grpc<Res>(method: string, request: unknown, metadata = new grpc.Metadata(), client = this.grpcClient): Promise<Res> {
    return new Promise((resolve, reject) => {
      const call = client[method] as (req: unknown, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, res: Res) => void) => void;
      call.call(client, request, metadata, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }
}

export interface InferBody {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
  error?: string;
}

/** Gateways started by tests share a host: each needs a replica id (and so a consumer group) of its own. */
export function testReplicaId(): string {
  return `spec-${randomUUID()}`;
}

export function uniqueModelName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Deterministic feature rows, so expected outputs can be computed in-process. */
export function featureRows(rows: number, seed = 1): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: 20 }, (_, c) => Math.round(Math.sin(seed * 7 + r * 13 + c) * 1000) / 250));
}

const REFERENCE_SCRIPT = `
const ort = require('onnxruntime-node');
const rows = JSON.parse(process.argv[2]);
ort.InferenceSession.create(process.argv[1]).then(async (session) => {
  const out = await session.run({ X: new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, 20]) });
  process.stdout.write(JSON.stringify({ label: Array.from(out.label.data, Number), probabilities: Array.from(out.probabilities.data) }));
});`;

/**
 * What onnxruntime computes for the fixture model, run in a plain Node process: inside Jest's sandbox the native
 * binding's typed arrays are not the sandbox's, and onnxruntime refuses its own outputs.
 */
export function referenceOutputs(rows: number[][]): Promise<{ label: number[]; probabilities: number[] }> {
  const model = join(REPO_ROOT, 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx');
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ['-e', REFERENCE_SCRIPT, model, JSON.stringify(rows)], { cwd: REPO_ROOT }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout)))),
  );
}
