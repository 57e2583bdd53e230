import type { INestApplication } from '@nestjs/common';
import { ServerGrpc } from '@nestjs/microservices';
import * as grpc from '@grpc/grpc-js';
import type { Options as ProtoLoaderOptions } from '@grpc/proto-loader';
import { join } from 'node:path';
import { JsonLogger } from '@mlops/observability';
import type { FeatureStoreConfig } from '../config/feature-store.config';

export const FEATURE_STORE_PROTO = join(__dirname, '..', '..', '..', '..', 'proto', 'feature_store', 'feature_store.proto');
export const PROTO_LOADER_OPTIONS: ProtoLoaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

const MIB = 1024 * 1024;

/**
 * grpc-js server options. The largest valid request (1,000 entities, 1,000 refs) is some tens of kB, so 1 MiB
 * refuses only abuse; the largest valid answer (a million values) is some tens of MB. Keepalive pings find dead
 * peers behind NATs and load balancers within a minute and a half; clients may ping every 10 s, even between calls.
 */
export const GRPC_SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': 1 * MIB,
  'grpc.max_send_message_length': 64 * MIB,
  'grpc.max_concurrent_streams': 100,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
};

/**
 * Nest's gRPC transport, which also keeps the port it bound: with port 0 the system picks one, and operators
 * and tests learn it from the log line.
 */
class FeatureStoreGrpcServer extends ServerGrpc {
  port = 0;

  override async createClient(): Promise<grpc.Server> {
    const server = new grpc.Server(GRPC_SERVER_OPTIONS);
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(this.url, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    return server;
  }
}

/**
 * Serves FeatureStoreService (proto/feature_store) through @nestjs/microservices beside the HTTP app, so its
 * handlers are controllers like any other. A port that cannot be bound is logged and leaves HTTP serving:
 * the same reads are there.
 */
export async function serveOnlineFeaturesGrpc(app: INestApplication, config: FeatureStoreConfig['grpc']): Promise<void> {
  const log = app.get(JsonLogger).child('OnlineFeaturesGrpc');
  const address = `${config.host}:${config.port}`;
  const server = new FeatureStoreGrpcServer({
    package: 'mlops.feature_store.v1',
    protoPath: FEATURE_STORE_PROTO,
    loader: PROTO_LOADER_OPTIONS,
    url: address,
    gracefulShutdown: true,
  });
  // inheritAppConfig: the API key guard every service installs checks gRPC calls too.
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  try {
    await app.startAllMicroservices();
    log.log(`gRPC FeatureStoreService listening on ${config.host}:${server.port}`);
  } catch (err) {
    log.error(`gRPC FeatureStoreService could not listen on ${address}: ${(err as Error).message}`);
  }
}
