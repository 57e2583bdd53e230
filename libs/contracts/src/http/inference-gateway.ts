import { z } from 'zod';
import { defineRoutes, type HttpApi } from './route';

/** OIP's header giving the JSON part's length when raw tensor bytes follow it (the binary tensor extension). */
export const INFERENCE_HEADER_CONTENT_LENGTH = 'inference-header-content-length';

const Parameters = z.record(z.string(), z.unknown());
const TensorName = z.string().min(1);
/** Every dimension of a sent tensor is known; -1 (any size) appears only in metadata. */
const Shape = z.array(z.number().int().nonnegative());

export const InferInputTensor = z.object({
  name: TensorName,
  shape: Shape,
  datatype: z.string().min(1).describe('BOOL, INT8, INT16, INT32, INT64, UINT8, FP32, FP64 or BYTES'),
  /** `binary_data_size`: this input's bytes follow the JSON header (binary tensor extension) instead of `data`. */
  parameters: Parameters.optional(),
  /** Row-major values, flat or nested; absent when the bytes come in binary. */
  data: z.unknown().optional(),
});

/**
 * `POST /v2/models/{model}/infer`. With `parameters.entities` (join key -> one key value per row) and
 * `parameters.features` (ordered view:feature refs) the gateway fills the input from the feature store, so `inputs`
 * may be left out; `parameters.input` names the model input to fill when it has several.
 */
export const InferRequest = z.object({
  id: z.string().optional(),
  parameters: Parameters.optional(),
  inputs: z.array(InferInputTensor).prefault([]),
  /** `parameters.binary_data: true` asks for that output in binary; `parameters.binary_data_output` at the top for all. */
  outputs: z.array(z.object({ name: TensorName, parameters: Parameters.optional() })).optional(),
});

export const InferOutputTensor = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number().int()),
  parameters: Parameters.optional(),
  data: z.array(z.unknown()).optional(),
});

export const InferResponse = z.object({
  model_name: z.string(),
  /** The version that answered: the champion, or the challenger a traffic split sent this request to. */
  model_version: z.string(),
  id: z.string().optional(),
  parameters: Parameters.optional(),
  outputs: z.array(InferOutputTensor),
});

const TensorMetadata = z.object({ name: z.string(), datatype: z.string(), shape: z.array(z.number().int().min(-1)) });

export const ModelMetadataResponse = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.string(),
  inputs: z.array(TensorMetadata),
  outputs: z.array(TensorMetadata),
});

export const ServerMetadataResponse = z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) });

export const ServerReadiness = z.object({
  ready: z.boolean(),
  models: z.array(
    z.object({
      name: z.string(),
      revision: z.number().int(),
      champion: z.number().int().nullable(),
      challenger: z.object({ version: z.number().int(), mode: z.string() }).nullable(),
    }),
  ),
  failures: z.array(z.object({ modelName: z.string(), revision: z.number().int(), version: z.number().int(), error: z.string(), at: z.string() })),
});

const ModelParams = z.object({ model: z.string().min(1) });
const VersionParams = z.object({ model: z.string().min(1), version: z.string().min(1) });

const TAG = 'open inference protocol v2';
const CALL = { permission: 'inference:call' } as const;
const NOT_DEPLOYED = { 404: 'The model, or that version, is not deployed here' } as const;
/**
 * Both infer routes: the body is OIP JSON, or (binary tensor extension) with `Inference-Header-Content-Length`
 * that many bytes of JSON followed by the inputs' raw bytes; the answer is alike when an output was asked in binary.
 */
const INFER = {
  method: 'post',
  tag: TAG,
  access: CALL,
  body: InferRequest,
  binaryExtension: { header: INFERENCE_HEADER_CONTENT_LENGTH, contentType: 'application/octet-stream' },
  status: 200,
  response: InferResponse,
  errors: {
    400: 'A tensor does not fit the model signature, or the body breaks OIP: the message names the tensor or field',
    404: 'Unknown model or version',
    413: 'The body is larger than MLOPS_GATEWAY_MAX_REQUEST_BYTES',
    415: 'A Content-Encoding other than gzip or deflate',
    503: 'The feature store did not answer a lookup by entity key',
  },
} as const;

/** The gateway's Open Inference Protocol v2 REST routes (errors answer `{ "error": "<message>" }`, as OIP has it). */
export const inferenceGatewayRoutes = defineRoutes({
  serverMetadata: { method: 'get', path: '/v2', summary: 'Server metadata: name, version, extensions', tag: TAG, access: CALL, status: 200, response: ServerMetadataResponse },
  serverLive: { method: 'get', path: '/v2/health/live', summary: 'The server answers', tag: TAG, access: { public: true }, status: 200, response: z.object({ live: z.boolean() }) },
  serverReady: {
    method: 'get',
    path: '/v2/health/ready',
    summary: 'Ready; lists served models and any deployment that failed to load (503 with the same body while not ready)',
    tag: TAG,
    access: { public: true },
    status: 200,
    response: ServerReadiness,
    errors: { 503: 'Not ready yet' },
  },
  modelMetadata: { method: 'get', path: '/v2/models/{model}', summary: "Metadata of the model's champion: versions served, input and output tensors", tag: TAG, access: CALL, params: ModelParams, status: 200, response: ModelMetadataResponse, errors: NOT_DEPLOYED },
  versionMetadata: { method: 'get', path: '/v2/models/{model}/versions/{version}', summary: 'Metadata of one served version', tag: TAG, access: CALL, params: VersionParams, status: 200, response: ModelMetadataResponse, errors: NOT_DEPLOYED },
  modelReady: { method: 'get', path: '/v2/models/{model}/ready', summary: 'The model is loaded and serving', tag: TAG, access: CALL, params: ModelParams, status: 200, response: z.object({ name: z.string(), ready: z.boolean() }), errors: NOT_DEPLOYED },
  versionReady: {
    method: 'get',
    path: '/v2/models/{model}/versions/{version}/ready',
    summary: 'The version is loaded and serving',
    tag: TAG,
    access: CALL,
    params: VersionParams,
    status: 200,
    response: z.object({ name: z.string(), version: z.string(), ready: z.boolean() }),
    errors: NOT_DEPLOYED,
  },
  infer: { ...INFER, path: '/v2/models/{model}/infer', summary: "Outputs of the model's champion (or challenger, by the traffic split)", params: ModelParams },
  inferVersion: { ...INFER, path: '/v2/models/{model}/versions/{version}/infer', summary: 'Outputs of one served version', params: VersionParams },
});

export const inferenceGatewayApi: HttpApi<typeof inferenceGatewayRoutes> = {
  title: 'mlops inference-gateway',
  description: 'Online inference over the Open Inference Protocol v2 (HTTP and gRPC), traffic splitting and prediction logs.',
  routes: inferenceGatewayRoutes,
};
