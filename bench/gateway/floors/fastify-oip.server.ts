// The HTTP floor of the gateway benchmark: Fastify and onnxruntime-node with nothing else. JSON in, session.run,
// JSON out: no validation against a signature, no metrics, no prediction log, no traffic split.
//   node -r @swc-node/register bench/gateway/floors/fastify-oip.server.ts <model.onnx>
import Fastify from 'fastify';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { announce, DATATYPE_OF } from './floor-server';

interface OipInput {
  name: string;
  shape: number[];
  data: number[] | number[][];
}

async function main(modelPath: string): Promise<void> {
  const session = await InferenceSession.create(modelPath);
  const app = Fastify();
  app.post<{ Params: { model: string }; Body: { inputs: OipInput[] } }>('/v2/models/:model/infer', async (request) => {
    const feeds: Record<string, Tensor> = {};
    for (const input of request.body.inputs) feeds[input.name] = new Tensor('float32', Float32Array.from(input.data.flat()), input.shape);
    const results = await session.run(feeds);
    return {
      model_name: request.params.model,
      outputs: Object.entries(results).map(([name, tensor]) => ({ name, datatype: DATATYPE_OF[tensor.type], shape: tensor.dims, data: Array.from(tensor.data as ArrayLike<number | bigint>, Number) })),
    };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  announce(app.server.address());
}

void main(process.argv[2]);
