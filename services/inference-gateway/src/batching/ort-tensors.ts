import { Tensor } from 'onnxruntime-node';
import { DATATYPES, datatypeOfOrtType, TensorValues } from '../inference/datatypes';
import type { DecodedTensor } from '../inference/tensor';
import type { LoadedModel } from '../models/loaded-model';

/** One synchronous run; throws what onnxruntime throws. */
export function runSession(model: LoadedModel, inputs: DecodedTensor[]): DecodedTensor[] {
  const feeds: Record<string, Tensor> = {};
  for (const input of inputs) feeds[input.name] = new Tensor(DATATYPES[input.datatype].ort as Tensor.Type, input.values, input.shape);
  const results = model.session.run(feeds);
  return model.signature.outputs.map((spec) => {
    const tensor = results[spec.name];
    return {
      name: spec.name,
      datatype: datatypeOfOrtType(tensor.type) ?? spec.datatype,
      shape: tensor.dims as number[],
      values: tensor.data as TensorValues,
    };
  });
}
