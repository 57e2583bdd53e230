// GetOnlineFeatures at a fixed rate (open loop, see ../fixed-rate.ts) over a few @grpc/grpc-js channels.
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { REPO_ROOT } from '@mlops/testing';
import { FixedRateFigures, runAtFixedRate } from '../fixed-rate';

type Unary = (request: unknown, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null) => void) => void;

// A call still unanswered after this counts as an error: an overloaded server must end the run, not stall it.
const DEADLINE_MS = 5000;

export class OnlineFeaturesGrpcLoad {
  private readonly clients: grpc.Client[];
  private readonly calls: Unary[];

  constructor(address: string, channels: number) {
    const definition = protoLoader.loadSync(join(REPO_ROOT, 'proto/feature_store/feature_store.proto'), {
      keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
    });
    const proto = grpc.loadPackageDefinition(definition) as unknown as {
      mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
    };
    // A local subchannel pool per client gives each its own HTTP/2 connection, like separate callers.
    this.clients = Array.from({ length: channels }, () =>
      new proto.mlops.feature_store.v1.FeatureStoreService(address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }),
    );
    this.calls = this.clients.map((c) => (c as unknown as Record<string, Unary>).GetOnlineFeatures.bind(c));
  }

  run(request: (n: number) => unknown, rate: number, seconds: number): Promise<FixedRateFigures> {
    const call = (n: number) =>
      new Promise<void>((resolve, reject) =>
        this.calls[n % this.calls.length](request(n), { deadline: Date.now() + DEADLINE_MS }, (err) => (err ? reject(err) : resolve())),
      );
    return runAtFixedRate(call, rate, seconds);
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}
