import { InferRequest } from '@mlops/contracts';
import type { z } from 'zod';
import { invalid } from '../inference/inference-error';
import { parseFeatureRequest } from '../features/feature-request';
import type { InferenceRequest, InputData } from '../inference/inference-request';

type HttpInferBody = z.infer<typeof InferRequest>;

/** The schema says what is wrong when the cheap check below refuses a body. */
function checkedBySchema(body: unknown): HttpInferBody {
  const parsed = InferRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`request body ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Accepts exactly what the contract's InferRequest accepts (unknown keys are ignored by both), in a fraction of its cost on
 * the path every request takes; a body it refuses goes to the schema for the precise error. A spec holds the two
 * to the same verdicts.
 */
export function hasRequestShape(body: unknown): body is Partial<HttpInferBody> {
  if (!isRecord(body)) return false;
  const { id, parameters, inputs, outputs } = body;
  if (id !== undefined && typeof id !== 'string') return false;
  if (parameters !== undefined && !isRecord(parameters)) return false;
  if (inputs !== undefined) {
    if (!Array.isArray(inputs)) return false;
    for (const input of inputs) {
      if (!isRecord(input) || !isName(input.name) || !isName(input.datatype) || !isShape(input.shape)) return false;
      if (input.parameters !== undefined && !isRecord(input.parameters)) return false;
    }
  }
  if (outputs !== undefined) {
    if (!Array.isArray(outputs)) return false;
    for (const output of outputs) {
      if (!isRecord(output) || !isName(output.name)) return false;
      if (output.parameters !== undefined && !isRecord(output.parameters)) return false;
    }
  }
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function isShape(value: unknown): value is number[] {
  if (!Array.isArray(value)) return false;
  for (const dim of value) if (!Number.isSafeInteger(dim) || (dim as number) < 0) return false;
  return true;
}

export interface ParsedHttpRequest {
  request: Omit<InferenceRequest, 'modelName' | 'version' | 'routingKey' | 'protocol'>;
  parameters: Record<string, unknown>;
  /** Outputs the caller wants in the binary extension's raw form rather than JSON. */
  binaryOutputs: Set<string>;
  binaryByDefault: boolean;
}

/**
 * A JSON body, or with the binary tensor extension a JSON header of `headerLength` bytes followed by each
 * input's raw bytes in order (an input says how many with its `binary_data_size` parameter).
 */
export function parseHttpInferRequest(body: unknown, binary: Buffer | null, maxRows: number): ParsedHttpRequest {
  const { id, parameters = {}, inputs = [], outputs } = hasRequestShape(body) ? body : checkedBySchema(body);
  let offset = 0;
  const decoded = inputs.map((input) => {
    const size = input.parameters?.binary_data_size;
    let data: InputData;
    if (size !== undefined) {
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) throw invalid(`input '${input.name}': binary_data_size must be a whole number`);
      if (!binary || offset + size > binary.length) throw invalid(`input '${input.name}': binary_data_size ${size} runs past the end of the binary data`);
      data = { kind: 'raw', bytes: binary.subarray(offset, offset + size) };
      offset += size;
    } else {
      if (input.data === undefined) throw invalid(`input '${input.name}' has no data`);
      data = { kind: 'json', data: input.data };
    }
    return { name: input.name, datatype: input.datatype, shape: input.shape, data };
  });
  if (binary && offset !== binary.length) throw invalid(`binary data holds ${binary.length} bytes, inputs account for ${offset}`);
  const binaryOutputs = new Set((outputs ?? []).filter((output) => output.parameters?.binary_data === true).map((output) => output.name));
  return {
    request: { id, inputs: decoded, features: parseFeatureRequest(parameters, maxRows), outputs: outputs?.map((output) => output.name) },
    parameters,
    binaryOutputs,
    binaryByDefault: parameters.binary_data_output === true,
  };
}
