import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import * as protoLoader from '@grpc/proto-loader';
import type { IncomingHttpHeaders } from 'node:http2';
import { join } from 'node:path';
import { JsonLogger } from '@mlops/observability';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { InferenceDataPlane } from '../inference/inference-data-plane';
import { InferenceError, InferenceErrorKind } from '../inference/inference-error';
import type { InferInput } from '../inference/inference-request';
import { encodeRaw } from '../inference/raw-tensor-codec';
import { GrpcUnaryServer, UnaryMethod } from './grpc-unary-server';
import { encodeModelInferResponse, RawModelInferResponse } from './model-infer-response-codec';
import { TensorContents, valuesFromContents } from './grpc-tensor-contents';
import { GrpcCallError, GrpcStatus, GrpcStatusCode, metadataValue } from './grpc-wire';

export const PROTO_PATH = join(__dirname, '..', '..', '..', '..', 'proto', 'inference', 'grpc_predict_v2.proto');
export const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

const SERVICE = 'inference.GRPCInferenceService';
const MAX_RECEIVE_BYTES = 64 * 1024 * 1024;

const CODES: Record<InferenceErrorKind, GrpcStatusCode> = {
  invalid_argument: GrpcStatus.INVALID_ARGUMENT,
  not_found: GrpcStatus.NOT_FOUND,
  unavailable: GrpcStatus.UNAVAILABLE,
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

type Handlers = Record<string, (request: never, headers: IncomingHttpHeaders) => unknown>;

/** Methods under load get a hand-written encoder; the others keep proto-loader's. */
const ENCODERS: Partial<Record<string, (response: never) => Buffer>> = { ModelInfer: encodeModelInferResponse };

/** GRPCInferenceService of the OIP over the same data plane as the REST edge. */
@Injectable()
export class OipGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: GrpcUnaryServer | null = null;
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
    const handlers = this.handlers();
    const methods = new Map<string, UnaryMethod>();
    for (const [name, handle] of Object.entries(handlers)) {
      const method = (definition[SERVICE] as protoLoader.ServiceDefinition)[name];
      const encode = ENCODERS[name] as ((response: unknown) => Buffer) | undefined;
      methods.set(method.path, {
        decode: (message) => method.requestDeserialize(message),
        encode: encode ?? ((response) => method.responseSerialize(response as object)),
        handle: (request, headers) => guarded(() => handle(request as never, headers)),
      });
    }
    const server = new GrpcUnaryServer(methods, MAX_RECEIVE_BYTES, (path, err) => this.log.error(`gRPC ${path} failed: ${(err as Error).message}`, (err as Error).stack));
    this.boundPort = await server.listen(this.config.grpc.host, this.config.grpc.port);
    this.server = server;
    this.log.log(`gRPC GRPCInferenceService listening on ${this.config.grpc.host}:${this.boundPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close(5000);
  }

  private handlers(): Handlers {
    const dp = this.dataPlane;
    return {
      ServerLive: () => ({ live: dp.serverLive() }),
      ServerReady: () => ({ ready: dp.serverReady().ready }),
      ModelReady: (request: { name: string; version: string }) => ({ ready: safeReady(() => dp.modelReady(request.name, request.version)) }),
      ServerMetadata: () => dp.serverMetadata(),
      ModelMetadata: (request: { name: string; version: string }) => dp.modelMetadata(request.name, request.version),
      ModelInfer: (request: ModelInferRequest, headers: IncomingHttpHeaders) => this.infer(request, headers),
    };
  }

  private async infer(request: ModelInferRequest, headers: IncomingHttpHeaders): Promise<RawModelInferResponse> {
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
      return metadataValue(headers, name.toLowerCase());
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
      outputs: response.outputs.map((output) => ({ name: output.name, datatype: output.datatype, shape: output.shape })),
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

/** Caller mistakes become INVALID_ARGUMENT / NOT_FOUND with the message; anything else is left to the server as INTERNAL. */
async function guarded(handle: () => unknown): Promise<unknown> {
  try {
    return await handle();
  } catch (err) {
    if (err instanceof InferenceError) throw new GrpcCallError(CODES[err.kind], err.message);
    throw err;
  }
}
