import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { JsonLogger } from '@mlops/observability';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';
import { FeatureCatalog } from '../definitions/feature-catalog';
import { FeatureValue, InvalidOnlineRequestError, OnlineFeatures } from './online-features';

export const PROTO_PATH = join(__dirname, '..', '..', '..', '..', 'proto', 'feature_store', 'feature_store.proto');
export const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

interface GetOnlineFeaturesRequest {
  entities: { join_keys: Record<string, string> }[];
  features: string[];
}

type GrpcValue = { int64_value: string } | { float64_value: number } | { string_value: string } | { bool_value: boolean };

/** Integral numbers of an int64 feature and of a float64 feature look alike in JSON; the view's type decides. */
function toGrpcValue(value: FeatureValue['value'], type: string | undefined): GrpcValue | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'string') return { string_value: value };
  return type === 'int64' ? { int64_value: String(value) } : { float64_value: value };
}

/** FeatureStoreService.GetOnlineFeatures over the same reader as POST /online-features. */
@Injectable()
export class OnlineFeaturesGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: grpc.Server | null = null;
  private readonly log: JsonLogger;

  constructor(
    private readonly online: OnlineFeatures,
    private readonly catalog: FeatureCatalog,
    @Inject(FEATURE_STORE_CONFIG) private readonly config: FeatureStoreConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('OnlineFeaturesGrpcServer');
  }

  async onApplicationBootstrap(): Promise<void> {
    const definition = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS);
    const proto = grpc.loadPackageDefinition(definition) as unknown as {
      mlops: { feature_store: { v1: { FeatureStoreService: grpc.ServiceClientConstructor } } };
    };
    const server = new grpc.Server();
    server.addService(proto.mlops.feature_store.v1.FeatureStoreService.service, {
      GetOnlineFeatures: (call: grpc.ServerUnaryCall<GetOnlineFeaturesRequest, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        this.getOnlineFeatures(call.request).then(
          (response) => callback(null, response),
          (err: Error) =>
            callback({
              code: err instanceof InvalidOnlineRequestError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL,
              details: err.message,
            }),
        );
      },
    });
    const address = `${this.config.grpc.host}:${this.config.grpc.port}`;
    try {
      const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
      );
      this.server = server;
      this.log.log(`gRPC FeatureStoreService listening on ${this.config.grpc.host}:${port}`);
    } catch (err) {
      // HTTP serves the same reads; a taken gRPC port must not take them down too, but it must be seen.
      this.log.error(`gRPC FeatureStoreService could not listen on ${address}: ${(err as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  private async getOnlineFeatures(request: GetOnlineFeaturesRequest) {
    if (request.entities.length === 0 || request.features.length === 0) {
      throw new InvalidOnlineRequestError('entities and features must each hold at least one item');
    }
    const entities = request.entities.map((e) => ({ ...e.join_keys }));
    const result = await this.online.read(entities, request.features);
    // read() has resolved every ref already, so this cannot throw.
    const types = new Map(request.features.map((ref) => [ref, this.catalog.resolve(ref).field.type]));
    return {
      results: result.results.map((r) => ({
        join_keys: r.entity,
        features: Object.fromEntries(
          Object.entries(r.features).map(([ref, v]) => [
            ref,
            { value: toGrpcValue(v.value, types.get(ref)), status: v.status, event_time: v.eventTime ?? '' },
          ]),
        ),
      })),
    };
  }
}
