import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { Partitioners, Producer } from 'kafkajs';
import { localKafkaConnection } from '@mlops/config';
import { createHttpClient, inferenceGatewayRoutes } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import { REPO_ROOT } from './service-process';

/** One inference call as the caller saw it: when it was sent (ms since the epoch), how long it took, and whether it succeeded. */
export interface CallRecord {
  sentAt: number;
  latencyMs: number;
  ok: boolean;
  protocol: 'http' | 'grpc';
  requestId: string;
}

// A call still unanswered after this counts as failed: a stalled gateway must show, not hold the run.
export const CALL_TIMEOUT_MS = 5000;

/**
 * `work`, or a rejection once `ms` have passed. A fetch's own AbortSignal was seen not to end a call to a service
 * that had just been killed and started again on the same port (the run hung); this timer always fires.
 */
export function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Calls sent on a fixed schedule (open loop: call n leaves at start + n / rate whatever earlier calls are doing), so an
 * outage shows as failed or slow calls rather than as a lower rate. Every call carries its own request id, which the
 * gateway puts in the prediction log.
 */
export class SteadyCalls {
  readonly records: CallRecord[] = [];
  private timer?: NodeJS.Timeout;
  private sent = 0;
  private inFlight = 0;

  constructor(
    readonly protocol: 'http' | 'grpc',
    private readonly rate: number,
    private readonly call: (requestId: string) => Promise<void>,
  ) {}

  start(): void {
    const startedAt = performance.now();
    this.timer = setInterval(() => {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * this.rate);
      while (this.sent < due) this.send();
    }, 5);
  }

  /** Stops sending and waits for the calls in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private send(): void {
    this.sent++;
    this.inFlight++;
    const requestId = randomUUID();
    const sentAt = Date.now();
    const began = performance.now();
    const done = (ok: boolean) => {
      this.inFlight--;
      this.records.push({ sentAt, latencyMs: performance.now() - began, ok, protocol: this.protocol, requestId });
    };
    within(CALL_TIMEOUT_MS + 1000, this.call(requestId), 'inference call').then(() => done(true), () => done(false));
  }
}

function inputRow(): number[] {
  return Array.from({ length: 20 }, () => Math.round(Math.random() * 1000) / 1000);
}

/** OIP v2 REST inference calls of one model. */
export function httpInferCalls(gatewayUrl: () => string, modelName: string, rate: number): SteadyCalls {
  return new SteadyCalls('http', rate, async (requestId) => {
    const gateway = createHttpClient(inferenceGatewayRoutes, { baseUrl: gatewayUrl() });
    const body = { id: requestId, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20], data: inputRow() }] };
    await gateway.infer({ params: { model: modelName }, body }, { signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  });
}

type ModelInfer = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null) => void) => void;

/** OIP v2 gRPC ModelInfer calls of one model over one stock grpc-js channel (which reconnects by itself). */
export function grpcInferCalls(address: string, modelName: string, rate: number): { calls: SteadyCalls; close(): void } {
  const definition = protoLoader.loadSync(join(REPO_ROOT, 'proto', 'inference', 'grpc_predict_v2.proto'), { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
  const proto = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  const client = new proto.inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
  const modelInfer = (client as unknown as Record<string, ModelInfer>).ModelInfer.bind(client);
  const calls = new SteadyCalls('grpc', rate, (requestId) =>
    new Promise<void>((resolve, reject) =>
      modelInfer(
        { model_name: modelName, id: requestId, inputs: [{ name: 'X', datatype: 'FP32', shape: ['1', '20'], contents: { fp32_contents: inputRow() } }] },
        new grpc.Metadata(),
        { deadline: Date.now() + CALL_TIMEOUT_MS },
        (err) => (err ? reject(err) : resolve()),
      ),
    ),
  );
  return { calls, close: () => client.close() };
}

/**
 * Plain JSON feature records, as a product team's producer writes them, at a steady rate until `total` were
 * acknowledged by the broker. Every record has its own entity key; every `invalidEvery`-th carries a value that
 * fails validation and must end in the dead-letter topic. The producer is idempotent, so its retries through a
 * broker restart add no copies; a batch the broker did not acknowledge is sent again until it is.
 */
export class FeatureRecordStream {
  acknowledged = 0;
  invalid = 0;
  private producer?: Producer;
  private stopped = false;
  private running?: Promise<void>;
  private readonly firstEventTime = Date.now();

  constructor(
    private readonly topic: string,
    private readonly total: number,
    private readonly rate: number,
    private readonly invalidEvery: number,
  ) {}

  get valid(): number {
    return this.acknowledged - this.invalid;
  }

  async start(): Promise<void> {
    const kafka = createKafka(localKafkaConnection('admin', `loop-features-${randomUUID().slice(0, 8)}`));
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.running = this.produce(this.producer);
  }

  /** Resolves once every record was acknowledged (or the stream was stopped). */
  finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await this.producer?.disconnect();
  }

  private async produce(producer: Producer): Promise<void> {
    const batch = Math.max(1, Math.round(this.rate / 10));
    const startedAt = performance.now();
    while (!this.stopped && this.acknowledged < this.total) {
      const count = Math.min(batch, this.total - this.acknowledged);
      const messages = Array.from({ length: count }, (_, i) => this.record(this.acknowledged + i));
      try {
        await producer.send({ topic: this.topic, messages });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      this.invalid += messages.filter((m) => m.value.includes('"not-a-number"')).length;
      this.acknowledged += count;
      const aheadMs = startedAt + (this.acknowledged / this.rate) * 1000 - performance.now();
      if (aheadMs > 0) await new Promise((resolve) => setTimeout(resolve, aheadMs));
    }
  }

  /** The same bytes for the same record number, so a batch sent again is a redelivery, not a new record. */
  private record(n: number): { key: string; value: string } {
    const id = n + 1;
    const amount = id % this.invalidEvery === 0 ? 'not-a-number' : (id * 7919) % 10_000 / 100;
    return { key: String(id), value: JSON.stringify({ entity_id: id, at: this.firstEventTime + id, amount, visits: id % 10 }) };
  }
}
