import { elementCount, isOipDatatype } from './datatypes';
import { invalid } from './inference-error';
import type { InferInput } from './inference-request';
import { decodeJsonData } from './json-tensor-codec';
import { decodeRaw } from './raw-tensor-codec';
import type { DecodedTensor } from './tensor';
import type { ServedSignature } from '../models/served-signature';

export interface ValidationLimits {
  maxRows: number;
}

/**
 * Checks a request's tensors against the signature of the model about to answer it, before anything runs,
 * and decodes their data. Every error names the tensor and says what was expected.
 */
export function decodeInputs(model: string, signature: ServedSignature, inputs: InferInput[], limits: ValidationLimits): DecodedTensor[] {
  if (inputs.length === 0) throw invalid(`request has no inputs; model ${model} expects ${names(signature.inputs)}`);
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.name)) throw invalid(`input '${input.name}' is given more than once`);
    seen.add(input.name);
    if (!signature.inputs.some((spec) => spec.name === input.name)) {
      throw invalid(`input '${input.name}' is not an input of model ${model}; it expects ${names(signature.inputs)}`);
    }
  }
  const missing = signature.inputs.find((spec) => !seen.has(spec.name));
  if (missing) throw invalid(`input '${missing.name}' is missing; model ${model} expects ${names(signature.inputs)}`);
  return signature.inputs.map((spec) => {
    const input = inputs.find((candidate) => candidate.name === spec.name) as InferInput;
    const what = `input '${spec.name}'`;
    if (!isOipDatatype(input.datatype)) throw invalid(`${what} has unknown datatype '${input.datatype}'`);
    if (input.datatype !== spec.datatype) throw invalid(`${what} has datatype ${input.datatype}, model ${model} expects ${spec.datatype}`);
    const shape = input.shape;
    if (!shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) throw invalid(`${what} has an invalid shape [${shape.join(',')}]`);
    const fits = shape.length === spec.shape.length && spec.shape.every((dim, i) => dim < 0 || dim === shape[i]);
    if (!fits) throw invalid(`${what} has shape [${shape.join(',')}], model ${model} expects [${spec.shape.join(',')}] (-1: any size)`);
    if (spec.shape[0] < 0 && shape[0] > limits.maxRows) {
      throw invalid(`${what} has ${shape[0]} rows, more than the limit of ${limits.maxRows} per request`);
    }
    if (elementCount(shape) > limits.maxRows * 65536) throw invalid(`${what} has ${elementCount(shape)} elements, too many for one request`);
    switch (input.data.kind) {
      case 'json':
        return decodeJsonData(what, spec.name, spec.datatype, shape, input.data.data);
      case 'raw':
        return decodeRaw(what, spec.name, spec.datatype, shape, input.data.bytes);
      case 'typed': {
        const count = elementCount(shape);
        if (input.data.values.length !== count) {
          throw invalid(`${what}: shape [${shape.join(',')}] needs ${count} elements, contents have ${input.data.values.length}`);
        }
        return { name: spec.name, datatype: spec.datatype, shape, values: input.data.values };
      }
    }
  });
}

export function checkRequestedOutputs(model: string, signature: ServedSignature, requested: string[] | undefined): string[] {
  if (!requested || requested.length === 0) return signature.outputs.map((spec) => spec.name);
  for (const name of requested) {
    if (!signature.outputs.some((spec) => spec.name === name)) {
      throw invalid(`requested output '${name}' is not an output of model ${model}; it has ${names(signature.outputs)}`);
    }
  }
  return [...new Set(requested)];
}

function names(specs: { name: string }[]): string {
  return specs.map((spec) => `'${spec.name}'`).join(', ');
}
