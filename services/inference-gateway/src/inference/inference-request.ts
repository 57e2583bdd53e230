import type { FeatureRequest } from '../features/feature-request';
import type { Protocol } from '../metrics/gateway-metrics';
import type { TensorValues } from './datatypes';
import type { DecodedTensor } from './tensor';

/** Where an input's elements are: JSON `data`, raw little-endian bytes, or already typed (gRPC typed contents). */
export type InputData = { kind: 'json'; data: unknown } | { kind: 'raw'; bytes: Uint8Array } | { kind: 'typed'; values: TensorValues };

export interface InferInput {
  name: string;
  datatype: string;
  shape: number[];
  data: InputData;
}

export interface InferenceRequest {
  protocol: Protocol;
  modelName: string;
  /** As the caller wrote it; absent or empty lets the traffic split choose. */
  version?: string;
  id?: string;
  inputs: InferInput[];
  /** Entity keys whose features, fetched from the feature store, fill one more input. */
  features?: FeatureRequest | null;
  /** Names of the outputs wanted; all of the model's outputs when absent or empty. */
  outputs?: string[];
  /** A request parameter or header by name (ab stickiness reads its key through this). */
  routingKey: (name: string) => string | undefined;
}

export interface InferenceResponse {
  modelName: string;
  modelVersion: string;
  id: string;
  outputs: DecodedTensor[];
}
