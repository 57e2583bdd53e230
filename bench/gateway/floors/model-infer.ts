import { InferenceSession, Tensor } from 'onnxruntime-node';
import { DATATYPE_OF } from './floor-server';

export interface ModelInferRequest {
  model_name: string;
  inputs: { name: string; shape: string[] }[];
  raw_input_contents: Buffer[];
}

/** ModelInfer of the floors: FP32 raw inputs in, every output raw out. */
export async function modelInfer(session: InferenceSession, request: ModelInferRequest): Promise<unknown> {
  const feeds: Record<string, Tensor> = {};
  request.inputs.forEach((input, i) => {
    const raw = request.raw_input_contents[i];
    feeds[input.name] = new Tensor('float32', new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length)), input.shape.map(Number));
  });
  const results = await session.run(feeds);
  const outputs = Object.entries(results);
  return {
    model_name: request.model_name,
    outputs: outputs.map(([name, tensor]) => ({ name, datatype: DATATYPE_OF[tensor.type], shape: tensor.dims })),
    raw_output_contents: outputs.map(([, tensor]) => {
      const data = tensor.data as Float32Array | BigInt64Array;
      return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    }),
  };
}
