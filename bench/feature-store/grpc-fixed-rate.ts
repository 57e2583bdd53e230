// GetOnlineFeatures at a fixed rate (open loop, see ../fixed-rate.ts) over a few @grpc/grpc-js channels. Answers
// are received whole but not decoded into objects, as the HTTP load reads bodies without parsing the JSON: decoding
// 1,000 values per call at 1,000 calls/s would take this process's core, and its queueing would be counted as the
// server's latency.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { REPO_ROOT, testAuth } from '@mlops/testing';
import { FixedRateFigures, runAtFixedRate } from '../fixed-rate';

type Unary = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null) => void) => void;

// A call still unanswered after this counts as an error: an overloaded server must end the run, not stall it.
const DEADLINE_MS = 5000;

export class OnlineFeaturesGrpcLoad {
  private readonly clients: grpc.Client[];
  private readonly calls: Unary[];
  private readonly metadata = new grpc.Metadata();

  constructor(address: string, channels: number) {
    const definition = protoLoader.loadSync(join(REPO_ROOT, 'proto/feature_store/feature_store.proto'), {
      keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
    });
    const proto = grpc.loadPackageDefinition(definition) as unknown as {
      mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
    };
    const service = proto.mlops.feature_store.v1.FeatureStoreService.service;
    const RawClient = grpc.makeGenericClientConstructor(
      { GetOnlineFeatures: { ...service.GetOnlineFeatures, responseDeserialize: (bytes: Buffer) => bytes } },
      'FeatureStoreService',
    );
    // A local subchannel pool per client gives each its own HTTP/2 connection, like separate callers.
    this.clients = Array.from({ length: channels }, () => new RawClient(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1, 'grpc-node.flow_control_window': 8 * 1024 * 1024 }));
    this.calls = this.clients.map((c) => (c as unknown as Record<string, Unary>).GetOnlineFeatures.bind(c));
    this.metadata.set('authorization', testAuth('app').authorization);
  }

  run(request: (n: number) => unknown, rate: number, seconds: number): Promise<FixedRateFigures> {
    const call = (n: number) =>
      new Promise<void>((resolve, reject) =>
        this.calls[n % this.calls.length](request(n), this.metadata, { deadline: Date.now() + DEADLINE_MS }, (err) => (err ? reject(err) : resolve())),
      );
    return runAtFixedRate(call, rate, seconds);
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}
