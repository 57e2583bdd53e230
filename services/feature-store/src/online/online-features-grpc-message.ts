import type { FeatureType } from '../definitions/feature-definitions';
import type { FeatureValue, OnlineFeaturesResult } from './online-features';

/** GetOnlineFeaturesRequest as proto-loader decodes it (keepCase, defaults). */
export interface GetOnlineFeaturesRequest {
  entities: { join_keys: Record<string, string> }[];
  features: string[];
}

type ValueMessage = { int64_value: number } | { float64_value: number } | { string_value: string } | { bool_value: boolean };

interface FeatureValueMessage {
  value: ValueMessage | null;
  status: FeatureValue['status'];
  event_time: string;
}

/** GetOnlineFeaturesResponse as protobufjs encodes it from a plain object (enums by name, int64 from a number). */
export interface GetOnlineFeaturesResponse {
  results: { join_keys: Record<string, string>; features: Record<string, FeatureValueMessage> }[];
}

/** The request in the shape POST /online-features takes, so both edges are validated by one schema. */
export function onlineRequestOf(request: GetOnlineFeaturesRequest): unknown {
  return { entities: request.entities.map((entity) => entity.join_keys), features: request.features };
}

/**
 * The read's result as a response message. `typeOf` gives each ref's feature type: int64 and float64 values are
 * both numbers by then, and the proto keeps them apart.
 */
export function getOnlineFeaturesResponse(result: OnlineFeaturesResult, typeOf: (ref: string) => FeatureType): GetOnlineFeaturesResponse {
  return {
    results: result.results.map((row) => {
      const joinKeys: Record<string, string> = {};
      for (const name in row.entity) joinKeys[name] = String(row.entity[name]);
      const features: Record<string, FeatureValueMessage> = {};
      for (const ref in row.features) {
        const feature = row.features[ref];
        features[ref] = { value: valueMessage(feature.value, typeOf(ref)), status: feature.status, event_time: feature.eventTime ?? '' };
      }
      return { join_keys: joinKeys, features };
    }),
  };
}

function valueMessage(value: FeatureValue['value'], type: FeatureType): ValueMessage | null {
  if (value === null) return null;
  if (typeof value === 'boolean') return { bool_value: value };
  if (typeof value === 'string') return { string_value: value };
  return type === 'int64' ? { int64_value: value } : { float64_value: value };
}
