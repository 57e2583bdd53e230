import { DATATYPES } from '../inference/datatypes';
import type { InferenceResponse } from '../inference/inference-request';
import { encodeJsonData } from '../inference/json-tensor-codec';
import { encodeRaw } from '../inference/raw-tensor-codec';

export interface EncodedHttpResponse {
  /** A string when it is all JSON: Node then writes headers and body in one piece. */
  body: Buffer | string;
  /** Set with the binary extension: the JSON header's length, the raw outputs follow it. */
  headerLength: number | null;
}

export function encodeHttpInferResponse(response: InferenceResponse, binary: (name: string) => boolean): EncodedHttpResponse {
  const raw: Buffer[] = [];
  const outputs = response.outputs.map((output) => {
    const head = { name: output.name, datatype: output.datatype, shape: output.shape };
    if (binary(output.name) && DATATYPES[output.datatype]) {
      const bytes = encodeRaw(output.datatype, output.values);
      raw.push(bytes);
      return { ...head, parameters: { binary_data_size: bytes.length } };
    }
    return { ...head, data: encodeJsonData(output.datatype, output.values) };
  });
  const text = JSON.stringify({ model_name: response.modelName, model_version: response.modelVersion, id: response.id, outputs });
  if (raw.length === 0) return { body: text, headerLength: null };
  const json = Buffer.from(text);
  return { body: Buffer.concat([json, ...raw]), headerLength: json.length };
}
