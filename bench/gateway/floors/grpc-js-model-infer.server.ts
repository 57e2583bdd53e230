// The gRPC floor of the gateway benchmark: @grpc/grpc-js and onnxruntime-node with nothing else. ModelInfer with
// raw_input_contents in, session.run, raw_output_contents out. grpc-js's defaults, or the server options given as JSON.
//   node -r @swc-node/register bench/gateway/floors/grpc-js-model-infer.server.ts <model.onnx> [server options JSON]
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { InferenceSession } from 'onnxruntime-node';
import { announce, PROTO_OPTIONS, PROTO_PATH } from './floor-server';
import { ModelInferRequest, modelInfer } from './model-infer';

async function main(modelPath: string, serverOptions: grpc.ChannelOptions): Promise<void> {
  const session = await InferenceSession.create(modelPath);
  const proto = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS)) as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  const server = new grpc.Server(serverOptions);
  server.addService(proto.inference.GRPCInferenceService.service, {
    ModelInfer: (call: grpc.ServerUnaryCall<ModelInferRequest, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      modelInfer(session, call.request).then((response) => callback(null, response), (err: Error) => callback(err));
    },
  });
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    announce(port);
  });
}

void main(process.argv[2], JSON.parse(process.argv[3] ?? '{}') as grpc.ChannelOptions);
