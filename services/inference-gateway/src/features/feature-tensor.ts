import { invalid } from '../inference/inference-error';
import type { InferInput } from '../inference/inference-request';
import type { ServedSignature, ServedTensorSpec } from '../models/served-signature';
import type { FeatureRequest } from './feature-request';
import type { FeatureRows } from './feature-lookup';

/** Errors listed per request before the rest are summarized: enough to act on, bounded in size. */
const MAX_LISTED_PROBLEMS = 5;

/**
 * The model input a feature request fills: the one it names, or the model's only input. It must be a float
 * matrix with one column per feature, since each row is one entity's features in the order requested.
 */
export function featureInputSpec(model: string, signature: ServedSignature, request: FeatureRequest): ServedTensorSpec {
  let spec: ServedTensorSpec | undefined;
  if (request.input !== undefined) {
    spec = signature.inputs.find((candidate) => candidate.name === request.input);
    if (!spec) throw invalid(`parameters.input '${request.input}' is not an input of model ${model}; it expects ${names(signature)}`);
  } else {
    if (signature.inputs.length !== 1) throw invalid(`model ${model} has inputs ${names(signature)}: parameters.input must name the one to fill with features`);
    spec = signature.inputs[0];
  }
  const what = `input '${spec.name}' of model ${model}`;
  if (spec.datatype !== 'FP32' && spec.datatype !== 'FP64') throw invalid(`${what} is ${spec.datatype}; features by entity key fill FP32 or FP64 inputs only`);
  if (spec.shape.length !== 2) throw invalid(`${what} has shape [${spec.shape.join(',')}]; features by entity key fill a [rows, features] matrix`);
  const [rows, columns] = spec.shape;
  if (columns >= 0 && columns !== request.features.length) {
    throw invalid(`${what} takes ${columns} features per row, parameters.features names ${request.features.length}`);
  }
  if (rows >= 0 && rows !== request.rows) throw invalid(`${what} takes exactly ${rows} rows, parameters.entities names ${request.rows}`);
  return spec;
}

/**
 * Lays the fetched values out row-major as the input tensor. A value the store lacks (NOT_FOUND), has only stale
 * (EXPIRED), or holds as something other than a number refuses the request, naming the entity key and the
 * feature: a made-up zero would be scored as if it were real.
 */
export function assembleFeatureInput(spec: ServedTensorSpec, request: FeatureRequest, fetched: FeatureRows): InferInput {
  const columns = request.features.length;
  if (fetched.rows.length !== request.rows || fetched.rows.some((row) => row.length !== columns)) {
    throw new Error(`feature lookup answered ${fetched.rows.length} rows for ${request.rows} entity keys and ${columns} features`);
  }
  const values = spec.datatype === 'FP32' ? new Float32Array(request.rows * columns) : new Float64Array(request.rows * columns);
  const problems: string[] = [];
  fetched.rows.forEach((row, r) => {
    row.forEach((cell, c) => {
      const where = () => `feature '${request.features[c]}' of entity ${entityLabel(request, r)}`;
      if (cell.status !== 'PRESENT') {
        problems.push(`${where()} is ${cell.status}${cell.status === 'EXPIRED' ? ' (older than its view TTL)' : ' in the feature store'}`);
      } else if (typeof cell.value !== 'number') {
        problems.push(`${where()} is ${cell.value === null ? 'null' : `a ${typeof cell.value} (${JSON.stringify(cell.value)})`}, input '${spec.name}' needs a number`);
      } else {
        values[r * columns + c] = cell.value;
      }
    });
  });
  if (problems.length > 0) {
    const more = problems.length > MAX_LISTED_PROBLEMS ? `; and ${problems.length - MAX_LISTED_PROBLEMS} more` : '';
    throw invalid(`cannot assemble input '${spec.name}': ${problems.slice(0, MAX_LISTED_PROBLEMS).join('; ')}${more}`);
  }
  return { name: spec.name, datatype: spec.datatype, shape: [request.rows, columns], data: { kind: 'typed', values } };
}

function entityLabel(request: FeatureRequest, row: number): string {
  return Object.entries(request.entities)
    .map(([key, values]) => `${key}=${String(values[row])}`)
    .join(',');
}

function names(signature: ServedSignature): string {
  return signature.inputs.map((spec) => `'${spec.name}'`).join(', ');
}
