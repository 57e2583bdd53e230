import { invalid } from '../inference/inference-error';
import type { EntityKeys } from './feature-lookup';

/**
 * The part of an inference request that names entity keys instead of carrying the features: the gateway
 * fetches `features` (ordered `view:feature` refs) for each row of `entities` and fills the model input `input`.
 */
export interface FeatureRequest {
  entities: EntityKeys;
  features: string[];
  /** The model input to fill; absent: the model's only input. */
  input?: string;
  rows: number;
}

const FEATURE_REF = /^[^:\s]+:[^:\s]+$/;

/**
 * Reads `entities`, `features` and `input` from the request parameters; null when the request names no entities
 * and no features (it then carries its tensors inline). Every error names the parameter and the reason.
 */
export function parseFeatureRequest(parameters: Record<string, unknown>, maxRows: number): FeatureRequest | null {
  const { entities, features, input } = parameters;
  if (entities === undefined && features === undefined) return null;
  if (entities === undefined) throw invalid('parameters.entities is missing: parameters.features needs the entity keys to look them up for');
  if (features === undefined) throw invalid('parameters.features is missing: name the feature refs (view:feature) to fill the input with, in input order');
  if (typeof entities !== 'object' || entities === null || Array.isArray(entities)) {
    throw invalid('parameters.entities must be an object of join key to key values, e.g. {"customer_id": ["c-1", "c-2"]}');
  }
  const keys = Object.entries(entities as Record<string, unknown>);
  if (keys.length === 0) throw invalid('parameters.entities names no join key');
  let rows = -1;
  for (const [name, values] of keys) {
    const what = `parameters.entities.${name}`;
    if (!Array.isArray(values) || values.length === 0) throw invalid(`${what} must be a non-empty array of key values, one per row`);
    const wrong = values.findIndex((value) => typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value)));
    if (wrong >= 0) throw invalid(`${what}.${wrong} must be a string or a number`);
    if (rows >= 0 && values.length !== rows) throw invalid(`${what} has ${values.length} keys, ${keys[0][0]} has ${rows}: every join key needs one value per row`);
    rows = values.length;
  }
  if (rows > maxRows) throw invalid(`parameters.entities names ${rows} rows, more than the limit of ${maxRows} per request`);
  if (!Array.isArray(features) || features.length === 0) throw invalid('parameters.features must be a non-empty array of feature refs (view:feature)');
  const wrongRef = features.findIndex((ref) => typeof ref !== 'string' || !FEATURE_REF.test(ref));
  if (wrongRef >= 0) throw invalid(`parameters.features.${wrongRef} must be a feature ref 'view:feature', got ${JSON.stringify(features[wrongRef])}`);
  if (input !== undefined && (typeof input !== 'string' || input === '')) throw invalid('parameters.input must be the name of a model input');
  return { entities: entities as EntityKeys, features: features as string[], input: input as string | undefined, rows };
}
