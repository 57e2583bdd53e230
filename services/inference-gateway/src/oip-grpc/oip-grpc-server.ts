import { ChannelOptions, Server, ServerCredentials } from '@grpc/grpc-js';
import { Logger } from '@nestjs/common';
import { ServerGrpc } from '@nestjs/microservices';
import { join } from 'node:path';
import type { GatewayConfig } from '../config/gateway-config';

export const PROTO_PATH = join(__dirname, '..', '..', '..', '..', 'proto', 'inference', 'grpc_predict_v2.proto');
/** Field names as the proto writes them (tritonclient's), int64 as decimal strings, defaults filled in, oneofs named. */
export const PROTO_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** In-flight calls get this long to finish at shutdown before their connections are cut. */
const SHUTDOWN_GRACE_MS = 5000;

/**
 * Nest's gRPC transport (@grpc/grpc-js underneath, messages through proto-loader and protobufjs) for
 * GRPCInferenceService, with grpc-js's standard server options. It binds the grpc-js server itself so that it knows,
 * and logs, the port it got: with port 0, any free one.
 */
export class OipGrpcServer extends ServerGrpc {
  private readonly serverOptions: ChannelOptions;
  private boundPort = 0;

  constructor(private readonly config: GatewayConfig) {
    super({ package: 'inference', protoPath: PROTO_PATH, loader: PROTO_OPTIONS, url: `${config.grpc.host}:${config.grpc.port}`, gracefulShutdown: true });
    this.serverOptions = {
      // Past these, grpc-js answers RESOURCE_EXHAUSTED without handing the message over.
      'grpc.max_receive_message_length': config.maxRequestBytes,
      'grpc.max_send_message_length': config.maxRequestBytes,
      // Past this, a connection's new streams are refused (RST_STREAM REFUSED_STREAM), as HTTP/2 has it.
      'grpc.max_concurrent_streams': config.grpc.maxConcurrentStreams,
      // A ping after a minute of silence, and a connection that does not answer it in 20 s is closed.
      'grpc.keepalive_time_ms': 60_000,
      'grpc.keepalive_timeout_ms': 20_000,
    };
  }

  override async createClient(): Promise<Server> {
    const server = new Server(this.serverOptions);
    this.boundPort = await new Promise<number>((resolve, reject) => server.bindAsync(this.url, ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))));
    return server;
  }

  override async listen(callback: (err?: unknown) => void): Promise<void> {
    await super.listen((err?: unknown) => {
      if (!err) new Logger('OipGrpcServer').log(`gRPC GRPCInferenceService listening on ${this.config.grpc.host}:${this.boundPort}`);
      callback(err);
    });
  }

  override async close(): Promise<void> {
    const server = this.grpcClient as Server | null;
    const cut = setTimeout(() => server?.forceShutdown(), SHUTDOWN_GRACE_MS);
    try {
      await super.close();
    } finally {
      clearTimeout(cut);
    }
  }
}
