// The same ModelInfer as grpc-js-model-infer.server.ts, served through @nestjs/microservices' gRPC transport (grpc-js
// underneath): the gap between the two is what the transport's layers cost a call.
//   node -r @swc-node/register bench/gateway/floors/nest-grpc-model-infer.server.ts <model.onnx> <port>
import 'reflect-metadata';
import { Controller, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod, MicroserviceOptions, Transport } from '@nestjs/microservices';
import { InferenceSession } from 'onnxruntime-node';
import { announce, PROTO_OPTIONS, PROTO_PATH } from './floor-server';
import { ModelInferRequest, modelInfer } from './model-infer';

const SESSION = Symbol('SESSION');

@Controller()
class ModelInferController {
  constructor(@Inject(SESSION) private readonly session: InferenceSession) {}

  @GrpcMethod('GRPCInferenceService', 'ModelInfer')
  infer(request: ModelInferRequest): Promise<unknown> {
    return modelInfer(this.session, request);
  }
}

async function main(modelPath: string, port: string): Promise<void> {
  const session = await InferenceSession.create(modelPath);
  @Module({ controllers: [ModelInferController], providers: [{ provide: SESSION, useValue: session }] })
  class FloorModule {}
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(FloorModule, {
    transport: Transport.GRPC,
    logger: false,
    options: { package: 'inference', protoPath: PROTO_PATH, url: `127.0.0.1:${port}`, loader: PROTO_OPTIONS },
  });
  await app.listen();
  announce(Number(port));
}

void main(process.argv[2], process.argv[3]);
