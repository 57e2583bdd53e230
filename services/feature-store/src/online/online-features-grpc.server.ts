import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { ApiKeyAuthenticator, GRPC_REFUSAL_CODE } from '@mlops/auth';
import { JsonLogger } from '@mlops/observability';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';
import { FeatureCatalog } from '../definitions/feature-catalog';
import { InvalidOnlineRequestError, OnlineFeatures } from './online-features';
import { encodeOnlineFeaturesResponse } from './online-features-proto';

export const PROTO_PATH = join(__dirname, '..', '..', '..', '..', 'proto', 'feature_store', 'feature_store.proto');
export const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

interface GetOnlineFeaturesRequest {
  entities: { join_keys: Record<string, string> }[];
  features: string[];
}

/** FeatureStoreService.GetOnlineFeatures over the same reader as POST /online-features. */
@Injectable()
export class OnlineFeaturesGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: grpc.Server | null = null;
  private readonly log: JsonLogger;

  constructor(
    private readonly online: OnlineFeatures,
    private readonly catalog: FeatureCatalog,
    private readonly authenticator: ApiKeyAuthenticator,
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
    const service = proto.mlops.feature_store.v1.FeatureStoreService.service;
    // The response is encoded by encodeOnlineFeaturesResponse; the generic encoder only passes its bytes on.
    const method = { ...service.GetOnlineFeatures, responseSerialize: (bytes: Buffer) => bytes };
    const server = new grpc.Server();
    server.addService({ ...service, GetOnlineFeatures: method }, {
      GetOnlineFeatures: (call: grpc.ServerUnaryCall<GetOnlineFeaturesRequest, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        // A caller that gave up (deadline, cancel) is owed nothing: reading for it anyway is how an overloaded
        // server ends up answering only calls whose deadline has passed.
        if (call.cancelled) return;
        this.authorizedOnlineFeatures(call).then(
          (response) => callback(null, response),
          (err: Error) =>
            callback({
              code: err instanceof Refused ? err.code : err instanceof InvalidOnlineRequestError ? grpc.status.INVALID_ARGUMENT : grpc.status.INTERNAL,
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

  /** The same key check as POST /online-features, on the `authorization` metadata. */
  private async authorizedOnlineFeatures(call: grpc.ServerUnaryCall<GetOnlineFeaturesRequest, Buffer>) {
    const [authorization] = call.metadata.get('authorization');
    const outcome = await this.authenticator.authenticate(authorization?.toString(), 'features:read');
    if (!outcome.ok) throw new Refused(GRPC_REFUSAL_CODE[outcome.status], `${outcome.reason}: ${outcome.message}`);
    return this.getOnlineFeatures(call.request);
  }

  private async getOnlineFeatures(request: GetOnlineFeaturesRequest) {
    if (request.entities.length === 0 || request.features.length === 0) {
      throw new InvalidOnlineRequestError('entities and features must each hold at least one item');
    }
    const entities = request.entities.map((e) => ({ ...e.join_keys }));
    const result = await this.online.read(entities, request.features);
    // read() has resolved every ref already, so this cannot throw.
    const types = new Map(request.features.map((ref) => [ref, this.catalog.resolve(ref).field.type]));
    return encodeOnlineFeaturesResponse(result, types);
  }
}

class Refused extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}
