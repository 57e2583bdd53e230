import { DATATYPES } from '../inference/datatypes';
import type { InferenceResponse } from '../inference/inference-request';
import { jsonDataText } from '../inference/json-tensor-codec';
import { encodeRaw } from '../inference/raw-tensor-codec';

export interface EncodedHttpResponse {
  /** A string when it is all JSON: Node then writes headers and body in one piece. */
  body: Buffer | string;
  /** Set with the binary extension: the JSON header's length, the raw outputs follow it. */
  headerLength: number | null;
}

/** The JSON is written as text directly (same bytes as JSON.stringify of the OIP object), without building the object first. */
export function encodeHttpInferResponse(response: InferenceResponse, binary: (name: string) => boolean): EncodedHttpResponse {
  const raw: Buffer[] = [];
  let outputs = '';
  for (const output of response.outputs) {
    const head = `{"name":${JSON.stringify(output.name)},"datatype":"${output.datatype}","shape":[${output.shape.join(',')}]`;
    if (binary(output.name) && DATATYPES[output.datatype]) {
      const bytes = encodeRaw(output.datatype, output.values);
      raw.push(bytes);
      outputs += `${outputs ? ',' : ''}${head},"parameters":{"binary_data_size":${bytes.length}}}`;
    } else {
      outputs += `${outputs ? ',' : ''}${head},"data":${jsonDataText(output.datatype, output.values)}}`;
    }
  }
  const text = `{"model_name":${JSON.stringify(response.modelName)},"model_version":${JSON.stringify(response.modelVersion)},"id":${JSON.stringify(response.id)},"outputs":[${outputs}]}`;
  if (raw.length === 0) return { body: text, headerLength: null };
  const json = Buffer.from(text);
  return { body: Buffer.concat([json, ...raw]), headerLength: json.length };
}
