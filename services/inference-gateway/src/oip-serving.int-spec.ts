import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getJson, REPO_ROOT } from '@mlops/testing';
import { featureRows, GatewayHarness, referenceOutputs, uniqueModelName } from './testing/gateway-harness';

interface GrpcInferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: { name: string; datatype: string; shape: string[] }[];
  raw_output_contents: Buffer[];
}

const ECHO_INPUTS = [
  { name: 'f32', datatype: 'FP32', shape: [2, 2], data: [[0.5, 1.5], [-1, 0.25]] },
  { name: 'f64', datatype: 'FP64', shape: [2, 2], data: [0.1, 0.2, 1e100, -3] },
  { name: 'i32', datatype: 'INT32', shape: [2], data: [7, -2000000] },
  { name: 'i64', datatype: 'INT64', shape: [2], data: [2 ** 39, -1] },
  { name: 'flag', datatype: 'BOOL', shape: [2], data: [true, false] },
  { name: 'text', datatype: 'BYTES', shape: [2], data: ['héllo', ''] },
];

const X = (rows: number[][], extra: Record<string, unknown> = {}) => ({ name: 'X', datatype: 'FP32', shape: [rows.length, 20], data: rows, ...extra });

describe('inference gateway: Open Inference Protocol v2 over HTTP and gRPC, against real Kafka, MinIO and onnxruntime', () => {
  let h: GatewayHarness;
  const expected = referenceOutputs;
  const model = uniqueModelName('gw-oip');
  const echo = uniqueModelName('gw-echo');

  beforeAll(async () => {
    h = await GatewayHarness.start();
    const v1 = await h.upload(model, 1);
    await h.deploy({ modelName: model, revision: 1, champion: v1, challenger: null });
    const echoV1 = await h.upload(echo, 1, readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'gateway', 'datatypes-echo.onnx')));
    await h.deploy({ modelName: echo, revision: 1, champion: echoV1, challenger: null });
    await h.waitForRevision(model, 1);
    await h.waitForRevision(echo, 1);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('serves server and model metadata, liveness and readiness', async () => {
    expect((await getJson(`${h.gateway.url}/v2`)).body).toEqual({ name: 'mlops-inference-gateway', version: '1', extensions: ['binary_tensor_data'] });
    expect((await getJson(`${h.gateway.url}/v2/health/live`)).status).toBe(200);
    expect((await getJson(`${h.gateway.url}/v2/models/${model}/ready`)).status).toBe(200);
    expect((await getJson(`${h.gateway.url}/v2/models/${model}/versions/1/ready`)).status).toBe(200);
    expect((await getJson(`${h.gateway.url}/v2/models/${model}/versions/2/ready`)).status).toBe(404);
    const metadata = await getJson(`${h.gateway.url}/v2/models/${model}`);
    expect(metadata.body).toEqual({
      name: model,
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'X', datatype: 'FP32', shape: [-1, 20] }],
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 2] },
      ],
    });
  });

  it('answers HTTP inference with the numbers onnxruntime computes, echoing the id and naming the version', async () => {
    const rows = featureRows(3);
    const want = await expected(rows);
    const nested = await h.inferHttp(`/v2/models/${model}/infer`, { id: 'req-42', inputs: [X(rows)] });
    expect(nested.status).toBe(200);
    expect(nested.body.id).toBe('req-42');
    expect(nested.body.model_name).toBe(model);
    expect(nested.body.model_version).toBe('1');
    const probabilities = nested.body.outputs.find((o) => o.name === 'probabilities');
    expect(probabilities?.shape).toEqual([3, 2]);
    probabilities?.data.forEach((value, i) => expect(value).toBeCloseTo(want.probabilities[i], 6));
    expect(nested.body.outputs.find((o) => o.name === 'label')).toEqual({ name: 'label', datatype: 'INT64', shape: [3], data: want.label });

    const flat = await h.inferHttp(`/v2/models/${model}/versions/1/infer`, { inputs: [{ ...X(rows), data: rows.flat() }], outputs: [{ name: 'label' }] });
    expect(flat.status).toBe(200);
    expect(flat.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(flat.body.outputs).toEqual([{ name: 'label', datatype: 'INT64', shape: [3], data: want.label }]);
  });

  it('accepts the binary tensor extension and returns binary outputs when asked', async () => {
    const rows = featureRows(2, 5);
    const want = await expected(rows);
    const raw = Buffer.from(Float32Array.from(rows.flat()).buffer);
    const header = Buffer.from(JSON.stringify({
      inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20], parameters: { binary_data_size: raw.length } }],
      outputs: [{ name: 'probabilities', parameters: { binary_data: true } }],
    }));
    const response = await fetch(`${h.gateway.url}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'inference-header-content-length': String(header.length) },
      body: Buffer.concat([header, raw]),
    });
    expect(response.status).toBe(200);
    const body = Buffer.from(await response.arrayBuffer());
    const jsonLength = Number(response.headers.get('inference-header-content-length'));
    const json = JSON.parse(body.subarray(0, jsonLength).toString());
    expect(json.outputs).toEqual([{ name: 'probabilities', datatype: 'FP32', shape: [2, 2], parameters: { binary_data_size: 16 } }]);
    const values = new Float32Array(body.subarray(jsonLength).buffer.slice(body.byteOffset + jsonLength));
    Array.from(values).forEach((value, i) => expect(value).toBeCloseTo(want.probabilities[i], 6));
  });

  it.each([
    ['a wrong shape', { inputs: [{ ...X(featureRows(1)), shape: [1, 19] }] }, /input 'X' has shape \[1,19\].*expects \[-1,20\]/],
    ['a wrong datatype', { inputs: [{ ...X(featureRows(1)), datatype: 'FP64' }] }, /input 'X' has datatype FP64, model .* expects FP32/],
    ['an unknown datatype', { inputs: [{ ...X(featureRows(1)), datatype: 'FLOAT' }] }, /input 'X' has unknown datatype 'FLOAT'/],
    ['an unknown tensor', { inputs: [X(featureRows(1)), { name: 'Z', datatype: 'FP32', shape: [1], data: [1] }] }, /input 'Z' is not an input of model/],
    ['too few elements', { inputs: [{ ...X(featureRows(1)), data: [1, 2, 3] }] }, /input 'X': shape \[1,20\] needs 20 elements, data has 3/],
    ['a string among numbers', { inputs: [{ ...X(featureRows(1)), data: [...featureRows(1)[0].slice(1), 'x'] }] }, /input 'X': element 19 is "x", expected a number/],
    ['an unknown requested output', { inputs: [X(featureRows(1))], outputs: [{ name: 'score' }] }, /requested output 'score' is not an output/],
    ['too many rows', { inputs: [X(featureRows(5))] }, /input 'X' has 5 rows, more than the limit of 4/],
    ['no inputs at all', { inputs: [] }, /request has no inputs/],
    ['inputs that are not a list', { inputs: 'X' }, /request body inputs: /],
  ])('refuses %s with 400 naming the problem', async (_case, body, message) => {
    const response = await h.inferHttp(`/v2/models/${model}/infer`, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(message);
  });

  it('round-trips BOOL, INT32, INT64, FP32, FP64 and BYTES over HTTP JSON', async () => {
    const response = await h.inferHttp(`/v2/models/${echo}/infer`, { inputs: ECHO_INPUTS });
    expect(response.status).toBe(200);
    expect(response.body.outputs).toEqual([
      { name: 'f32_out', datatype: 'FP32', shape: [2, 2], data: [1, 3, -2, 0.5] },
      { name: 'f64_out', datatype: 'FP64', shape: [2, 2], data: [0.2, 0.4, 2e100, -6] },
      { name: 'i32_out', datatype: 'INT32', shape: [2], data: [14, -4000000] },
      { name: 'i64_out', datatype: 'INT64', shape: [2], data: [2 ** 40, -2] },
      { name: 'flag_out', datatype: 'BOOL', shape: [2], data: [false, true] },
      { name: 'text_out', datatype: 'BYTES', shape: [2], data: ['héllo', ''] },
    ]);
  });

  it('refuses a request that leaves out one of several inputs, naming it', async () => {
    const response = await h.inferHttp(`/v2/models/${echo}/infer`, { inputs: ECHO_INPUTS.filter((input) => input.name !== 'i64') });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/input 'i64' is missing/);
    const outOfRange = await h.inferHttp(`/v2/models/${echo}/infer`, { inputs: ECHO_INPUTS.map((i) => (i.name === 'i32' ? { ...i, data: [2 ** 31, 0] } : i)) });
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.error).toMatch(/input 'i32': element 0 is 2147483648, expected an integer in \[-2147483648, 2147483647\]/);
  });

  it('round-trips every datatype from gRPC typed contents to raw output contents', async () => {
    const response = await h.grpc<GrpcInferResponse>('ModelInfer', {
      model_name: echo,
      inputs: [
        { name: 'f32', datatype: 'FP32', shape: [1, 2], contents: { fp32_contents: [1.5, 2] } },
        { name: 'f64', datatype: 'FP64', shape: [1, 2], contents: { fp64_contents: [0.25, -1] } },
        { name: 'i32', datatype: 'INT32', shape: [1], contents: { int_contents: [21] } },
        { name: 'i64', datatype: 'INT64', shape: [1], contents: { int64_contents: ['9007199254740993'] } },
        { name: 'flag', datatype: 'BOOL', shape: [1], contents: { bool_contents: [true] } },
        { name: 'text', datatype: 'BYTES', shape: [1], contents: { bytes_contents: [Buffer.from('ok')] } },
      ],
    });
    const raw = (name: string) => Uint8Array.from(response.raw_output_contents[response.outputs.findIndex((o) => o.name === name)]).buffer;
    expect(Array.from(new Float32Array(raw('f32_out')))).toEqual([3, 4]);
    expect(Array.from(new Float64Array(raw('f64_out')))).toEqual([0.5, -2]);
    expect(Array.from(new Int32Array(raw('i32_out')))).toEqual([42]);
    expect(Array.from(new BigInt64Array(raw('i64_out')))).toEqual([18014398509481986n]);
    expect(Array.from(new Uint8Array(raw('flag_out')))).toEqual([0]);
    expect(Buffer.from(raw('text_out'))).toEqual(Buffer.concat([Buffer.from([2, 0, 0, 0]), Buffer.from('ok')]));
  });

  it('answers 404 for an unknown model or version and 400 for malformed JSON, never 500', async () => {
    const unknownModel = await h.inferHttp('/v2/models/no-such-model/infer', { inputs: [X(featureRows(1))] });
    expect(unknownModel.status).toBe(404);
    expect(unknownModel.body.error).toContain('no-such-model');
    const unknownVersion = await h.inferHttp(`/v2/models/${model}/versions/7/infer`, { inputs: [X(featureRows(1))] });
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.body.error).toContain('no version 7');
    expect((await getJson(`${h.gateway.url}/v2/models/${model}/versions/abc`)).status).toBe(404);
    const malformed = await h.inferHttp(`/v2/models/${model}/infer`, '{"inputs": [');
    expect(malformed.status).toBe(400);
  });

  it('serves the same model over gRPC with typed and raw contents', async () => {
    const rows = featureRows(2, 9);
    const want = await expected(rows);
    expect(await h.grpc('ServerLive', {})).toEqual({ live: true });
    expect(await h.grpc('ServerReady', {})).toEqual({ ready: true });
    expect(await h.grpc('ModelReady', { name: model, version: '' })).toEqual({ ready: true });
    expect(await h.grpc('ModelReady', { name: 'no-such-model', version: '' })).toEqual({ ready: false });
    const metadata = await h.grpc<{ inputs: { name: string; shape: string[] }[] }>('ModelMetadata', { name: model, version: '1' });
    expect(metadata.inputs).toEqual([{ name: 'X', datatype: 'FP32', shape: ['-1', '20'] }]);

    const typed = await h.grpc<GrpcInferResponse>('ModelInfer', {
      model_name: model,
      inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20], contents: { fp32_contents: rows.flat() } }],
    });
    expect(typed.model_version).toBe('1');
    expect(typed.id).toMatch(/^[0-9a-f-]{36}$/);
    const label = typed.outputs.findIndex((o) => o.name === 'label');
    const labels = new BigInt64Array(Uint8Array.from(typed.raw_output_contents[label]).buffer);
    expect(Array.from(labels, Number)).toEqual(want.label);

    const raw = await h.grpc<GrpcInferResponse>('ModelInfer', {
      model_name: model,
      model_version: '1',
      id: 'grpc-7',
      inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20] }],
      outputs: [{ name: 'probabilities' }],
      raw_input_contents: [Buffer.from(Float32Array.from(rows.flat()).buffer)],
    });
    expect(raw.id).toBe('grpc-7');
    expect(raw.outputs).toEqual([{ name: 'probabilities', datatype: 'FP32', shape: ['2', '2'], parameters: {}, contents: null }]);
    const probabilities = new Float32Array(Uint8Array.from(raw.raw_output_contents[0]).buffer);
    Array.from(probabilities).forEach((value, i) => expect(value).toBeCloseTo(want.probabilities[i], 6));
  });

  it('maps caller mistakes over gRPC to INVALID_ARGUMENT and NOT_FOUND with the reason', async () => {
    const wrongShape = h.grpc('ModelInfer', { model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 3], contents: { fp32_contents: [1, 2, 3] } }] });
    await expect(wrongShape).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining("input 'X' has shape [1,3]") });
    const shortRaw = h.grpc('ModelInfer', { model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [1, 20] }], raw_input_contents: [Buffer.alloc(12)] });
    await expect(shortRaw).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringContaining("input 'X': shape [1,20] of FP32 needs 80 raw bytes, got 12") });
    const unknown = h.grpc('ModelInfer', { model_name: 'no-such-model', inputs: [] });
    await expect(unknown).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: expect.stringContaining('no-such-model') });
    await expect(h.grpc('ModelMetadata', { name: model, version: '9' })).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  });

  it('counts requests by model, version, protocol and status', async () => {
    const metrics = (await getJson<string>(`${h.gateway.url}/metrics`)).body;
    expect(metrics).toMatch(new RegExp(`mlops_inference_gateway_infer_requests_total\\{model="${model}",version="1",protocol="http",status="ok"[^}]*\\} \\d+`));
    expect(metrics).toMatch(new RegExp(`mlops_inference_gateway_infer_requests_total\\{model="${model}",version="1",protocol="grpc",status="invalid_argument"`));
    expect(metrics).toMatch(new RegExp(`mlops_inference_gateway_model_loads_total\\{model="${model}",outcome="loaded"`));
    expect(metrics).toContain('mlops_inference_gateway_batch_size_rows_bucket');
    expect(metrics).toContain('mlops_inference_gateway_prediction_log_dropped_total');
  });
});

describe('inference gateway with dynamic batching on: requests coalesced into one run and split back', () => {
  let h: GatewayHarness;
  const model = uniqueModelName('gw-batch');

  beforeAll(async () => {
    // A long queue delay, so batches here go out because they are full, not because of timing.
    h = await GatewayHarness.start({ MLOPS_GATEWAY_BATCH_MAX_SIZE: '4', MLOPS_GATEWAY_BATCH_MAX_DELAY_US: '2000000' });
    await h.deploy({ modelName: model, revision: 1, champion: await h.upload(model, 1), challenger: null });
    await h.waitForRevision(model, 1);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('gives every caller the answer to its own rows', async () => {
    const rows = featureRows(8, 11);
    const want = await referenceOutputs(rows);
    const responses = await Promise.all(rows.map((row, i) => h.inferHttp(`/v2/models/${model}/infer`, { id: `b-${i}`, inputs: [X([row])] })));
    responses.forEach((response, i) => {
      expect(response.status).toBe(200);
      expect(response.body.id).toBe(`b-${i}`);
      expect(response.body.outputs.find((o) => o.name === 'label')?.data).toEqual([want.label[i]]);
      response.body.outputs.find((o) => o.name === 'probabilities')?.data.forEach((p, j) => expect(p).toBeCloseTo(want.probabilities[i * 2 + j], 6));
    });
    const metrics = (await getJson<string>(`${h.gateway.url}/metrics`)).body;
    const runs = metrics.match(new RegExp(`mlops_inference_gateway_batch_size_rows_count\\{[^}]*model="${model}"[^}]*\\} (\\d+)`));
    expect(Number(runs?.[1])).toBe(2);
  });
});
