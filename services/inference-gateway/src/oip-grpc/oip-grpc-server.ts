import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { InferenceDataPlane } from '../inference/inference-data-plane';
import { InferenceError, InferenceErrorKind } from '../inference/inference-error';
import type { InferInput } from '../inference/inference-request';
import { encodeRaw } from '../inference/raw-tensor-codec';
import { TensorContents, valuesFromContents } from './grpc-tensor-contents';

export const PROTO_PATH = join(__dirname, '..', '..', '..', '..', 'proto', 'inference', 'grpc_predict_v2.proto');
export const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

const CODES: Record<InferenceErrorKind, grpc.status> = {
  invalid_argument: grpc.status.INVALID_ARGUMENT,
  not_found: grpc.status.NOT_FOUND,
  unavailable: grpc.status.UNAVAILABLE,
};

interface InferParameter {
  bool_param?: boolean;
  int64_param?: string;
  string_param?: string;
  double_param?: number;
  uint64_param?: string;
}

interface ModelInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, InferParameter>;
  inputs: { name: string; datatype: string; shape: string[]; contents: TensorContents | null }[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

type Handler<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>) => Res | Promise<Res>;

/** GRPCInferenceService of the OIP over the same data plane as the REST edge. */
@Injectable()
export class OipGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: grpc.Server | null = null;
  private boundPort = 0;
  private readonly log: JsonLogger;

  constructor(
    private readonly dataPlane: InferenceDataPlane,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('OipGrpcServer');
  }

  get port(): number {
    return this.boundPort;
  }

  async onApplicationBootstrap(): Promise<void> {
    const definition = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS);
    const proto = grpc.loadPackageDefinition(definition) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
    const server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });
    server.addService(proto.inference.GRPCInferenceService.service, this.handlers());
    const address = `${this.config.grpc.host}:${this.config.grpc.port}`;
    this.boundPort = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
    this.server = server;
    this.log.log(`gRPC GRPCInferenceService listening on ${this.config.grpc.host}:${this.boundPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 5000);
      server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }

  private handlers(): grpc.UntypedServiceImplementation {
    const dp = this.dataPlane;
    return {
      ServerLive: unary(() => ({ live: dp.serverLive() })),
      ServerReady: unary(() => ({ ready: dp.serverReady().ready })),
      ModelReady: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => ({
        ready: safeReady(() => dp.modelReady(call.request.name, call.request.version)),
      })),
      ServerMetadata: unary(() => dp.serverMetadata()),
      ModelMetadata: unary((call: grpc.ServerUnaryCall<{ name: string; version: string }, unknown>) => dp.modelMetadata(call.request.name, call.request.version)),
      ModelInfer: unary((call: grpc.ServerUnaryCall<ModelInferRequest, unknown>) => this.infer(call)),
    };
  }

  private async infer(call: grpc.ServerUnaryCall<ModelInferRequest, unknown>): Promise<unknown> {
    const request = call.request;
    const raw = request.raw_input_contents ?? [];
    if (raw.length > 0 && raw.length !== request.inputs.length) {
      throw new InferenceError('invalid_argument', `raw_input_contents has ${raw.length} entries for ${request.inputs.length} inputs`);
    }
    const inputs: InferInput[] = request.inputs.map((input, index) => ({
      name: input.name,
      datatype: input.datatype,
      shape: input.shape.map(Number),
      data: raw.length > 0 ? { kind: 'raw', bytes: raw[index] } : { kind: 'typed', values: valuesFromContents(input.datatype, input.contents) },
    }));
    const routingKey = (name: string) => {
      const parameter = request.parameters?.[name];
      if (parameter?.string_param !== undefined) return parameter.string_param;
      if (parameter?.int64_param !== undefined) return String(parameter.int64_param);
      const metadata = call.metadata.get(name.toLowerCase())[0];
      return metadata === undefined ? undefined : String(metadata);
    };
    const response = await this.dataPlane.infer({
      protocol: 'grpc',
      modelName: request.model_name,
      version: request.model_version,
      id: request.id,
      inputs,
      outputs: request.outputs?.map((output) => output.name),
      routingKey,
    });
    return {
      model_name: response.modelName,
      model_version: response.modelVersion,
      id: response.id,
      outputs: response.outputs.map((output) => ({ name: output.name, datatype: output.datatype, shape: output.shape.map(String) })),
      raw_output_contents: response.outputs.map((output) => encodeRaw(output.datatype, output.values)),
    };
  }
}

function safeReady(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Caller mistakes become INVALID_ARGUMENT / NOT_FOUND with the message; only our own failures are INTERNAL. */
function unary<Req, Res>(handler: Handler<Req, Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call))
      .then(
        (response) => callback(null, response),
        (err: unknown) => {
          if (err instanceof InferenceError) callback({ code: CODES[err.kind], details: err.message });
          else callback({ code: grpc.status.INTERNAL, details: 'internal error while serving the request' });
        },
      );
  };
}
