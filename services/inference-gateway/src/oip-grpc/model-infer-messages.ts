import type { TensorContents } from './grpc-tensor-contents';

/** Messages of grpc_predict_v2.proto as proto-loader hands them over (PROTO_OPTIONS: field names as written, int64 as strings). */
export interface InferParameter {
  bool_param?: boolean;
  int64_param?: string;
  string_param?: string;
  double_param?: number;
  uint64_param?: string;
}

export interface ModelInferRequest {
  model_name: string;
  model_version: string;
  id: string;
  parameters: Record<string, InferParameter>;
  inputs: { name: string; datatype: string; shape: string[]; contents: TensorContents | null }[];
  outputs: { name: string }[];
  raw_input_contents: Buffer[];
}

/** Outputs described by name, datatype and shape, their data in raw_output_contents (as Triton answers). */
export interface ModelInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: string; shape: number[] }[];
  raw_output_contents: Buffer[];
}

export interface ModelRef {
  name: string;
  version: string;
}
