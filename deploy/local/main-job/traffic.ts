// A product app's traffic: customers of the current era scored over the Open Inference Protocol, every other call
// over HTTP and gRPC, and the ground truth reported later on `mlops.labels.observed` (as the `app` principal, by
// request id), as a product learns who churned some time after it asked.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Producer } from 'kafkajs';
import { createHttpClient, encodeEvent, inferenceGatewayRoutes, type PlatformEvent } from '@mlops/contracts';
import { localKafkaConnection } from '@mlops/config';
import { CLOUDEVENTS_HEADERS, createKafka } from '@mlops/messaging';
import { REPO, URL } from './platform-api';
import { type Era, World } from './world';

interface InferResponse {
  model_version: string;
}

type ModelInfer = (request: object, callback: (err: grpc.ServiceError | null, response?: InferResponse) => void) => void;

interface PendingLabel {
  requestId: string;
  churned: 0 | 1;
  dueAt: number;
}

export interface TrafficCounts {
  http: number;
  grpc: number;
  failed: number;
  labelsSent: number;
  /** Answers per serving version, from the gateway's `model_version`. */
  byVersion: Record<string, number>;
  lastError: string;
}

const TICK_MS = 50;
const MAX_IN_FLIGHT = 64;

function grpcClient(): grpc.Client & { ModelInfer: ModelInfer } {
  const definition = protoLoader.loadSync(join(REPO, 'proto/inference/grpc_predict_v2.proto'), { keepCase: true, longs: String, defaults: true });
  const proto = grpc.loadPackageDefinition(definition) as unknown as {
    inference: { GRPCInferenceService: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client & { ModelInfer: ModelInfer } };
  };
  return new proto.inference.GRPCInferenceService(URL.gatewayGrpc, grpc.credentials.createInsecure());
}

export class LoadGenerator {
  era: Era = 'before';
  readonly counts: TrafficCounts = { http: 0, grpc: 0, failed: 0, labelsSent: 0, byVersion: {}, lastError: '' };
  private readonly grpc = grpcClient();
  private readonly gateway = createHttpClient(inferenceGatewayRoutes, { baseUrl: URL.gateway });
  private readonly labels: Producer = createKafka(localKafkaConnection('app', 'mlops-main-job-app')).producer();
  private readonly pending: PendingLabel[] = [];
  private inFlight = 0;
  private sent = 0;
  private timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly model: string,
    private readonly world: World,
    private readonly requestsPerSecond: number,
    private readonly labelDelayMs: number,
  ) {}

  async start(): Promise<void> {
    await this.labels.connect();
    const startedAt = Date.now();
    this.timers.push(
      setInterval(() => {
        // Catch up to the rate rather than count ticks: a busy event loop must not lower it unseen.
        const due = Math.floor(((Date.now() - startedAt) / 1000) * this.requestsPerSecond);
        while (this.sent < due && this.inFlight < MAX_IN_FLIGHT) this.request(this.sent++ % 2 === 0 ? 'http' : 'grpc');
        if (this.sent < due) this.sent = due;
      }, TICK_MS),
      setInterval(() => {
        this.flushing = this.flushing.then(() => this.flushLabels());
      }, 250),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await this.flushing;
    await this.labels.disconnect();
    this.grpc.close();
  }

  private request(protocol: 'http' | 'grpc'): void {
    const { customer, churned } = this.world.customer(this.era);
    const requestId = randomUUID();
    this.inFlight++;
    const answered = protocol === 'http' ? this.viaHttp(requestId, [customer.minutes, customer.tickets]) : this.viaGrpc(requestId, [customer.minutes, customer.tickets]);
    answered
      .then((version) => {
        this.counts[protocol]++;
        this.counts.byVersion[version] = (this.counts.byVersion[version] ?? 0) + 1;
        this.pending.push({ requestId, churned, dueAt: Date.now() + this.labelDelayMs });
      })
      .catch((err: Error) => {
        this.counts.failed++;
        this.counts.lastError = err.message;
      })
      .finally(() => this.inFlight--);
  }

  private async viaHttp(id: string, features: number[]): Promise<string> {
    const body = { id, inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], data: features }] };
    return (await this.gateway.infer({ params: { model: this.model }, body })).model_version;
  }

  private viaGrpc(id: string, features: number[]): Promise<string> {
    const request = { model_name: this.model, id, inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 2], contents: { fp32_contents: features } }] };
    return new Promise((resolve, reject) =>
      this.grpc.ModelInfer(request, (err, response) => (err || !response ? reject(err ?? new Error('no response')) : resolve(response.model_version))),
    );
  }

  /** The labels whose time has come, as any app would send them: CloudEvents keyed by the model's name. */
  private async flushLabels(): Promise<void> {
    const now = Date.now();
    let due = 0;
    while (due < this.pending.length && this.pending[due].dueAt <= now) due++;
    if (due === 0) return;
    const batch = this.pending.splice(0, due);
    const observedAt = new Date().toISOString();
    const messages = batch.map(({ requestId, churned }) => {
      const event: PlatformEvent<'mlops.labels.observed'> = {
        specversion: '1.0',
        id: randomUUID(),
        source: '/apps/main-job',
        type: 'mlops.labels.observed.v1',
        time: observedAt,
        subject: this.model,
        datacontenttype: 'application/json',
        data: { requestId, modelName: this.model, label: churned, observedAt },
      };
      return { key: this.model, value: encodeEvent('mlops.labels.observed', event), headers: { ...CLOUDEVENTS_HEADERS } };
    });
    await this.labels.send({ topic: 'mlops.labels.observed', acks: -1, messages });
    this.counts.labelsSent += batch.length;
  }
}
