import * as grpc from '@grpc/grpc-js';
import { request } from 'node:http';
import { connect, constants } from 'node:http2';
import * as protoLoader from '@grpc/proto-loader';
import { deflateSync, gzipSync } from 'node:zlib';
import { getJson } from '@mlops/testing';
import { PROTO_OPTIONS, PROTO_PATH } from './oip-grpc/oip-grpc-server';
import { featureRows, GatewayHarness, InferBody, referenceOutputs, uniqueModelName } from './testing/gateway-harness';

// What the REST and gRPC edges accept and refuse before the data plane sees a request: body and message limits,
// compressed bodies and messages, the stream limit, the OpenAPI document.

const LIMIT = 16 * 1024 * 1024;
const GRPC_DEFINITION = protoLoader.loadSync(PROTO_PATH, PROTO_OPTIONS)['inference.GRPCInferenceService'] as protoLoader.ServiceDefinition;
const X = (rows: number[][]) => ({ name: 'X', datatype: 'FP32', shape: [rows.length, 20], data: rows });

describe('inference gateway edges: limits, compression and documents on Fastify and grpc-js', () => {
  let h: GatewayHarness;
  const model = uniqueModelName('gw-edges');
  const rows = featureRows(2, 4);
  const body = JSON.stringify({ id: 'edges', inputs: [X(rows)] });

  const post = async (payload: Buffer | string, headers: Record<string, string>): Promise<{ status: number; body: InferBody }> => {
    const response = await fetch(`${h.gateway.url}/v2/models/${model}/infer`, { method: 'POST', headers, body: payload });
    return { status: response.status, body: (await response.json()) as InferBody };
  };

  beforeAll(async () => {
    // Requests wait up to 300 ms for a batch to fill: long enough to hold calls open for the stream limit.
    h = await GatewayHarness.start({ MLOPS_GATEWAY_GRPC_MAX_CONCURRENT_STREAMS: '8', MLOPS_GATEWAY_BATCH_MAX_DELAY_US: '300000' });
    await h.deploy({ modelName: model, revision: 1, champion: await h.upload(model, 1), challenger: null });
    await h.waitForRevision(model, 1);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('answers JSON sent without a content type, as tritonclient sends it, and gzip and deflate bodies alike', async () => {
    const want = await referenceOutputs(rows);
    const answers = [
      await post(Buffer.from(body), {}),
      await post(gzipSync(body), { 'content-type': 'application/json', 'content-encoding': 'gzip' }),
      await post(deflateSync(body), { 'content-encoding': 'deflate' }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.outputs.find((o) => o.name === 'label')?.data).toEqual(want.label);
    }
  });

  it('refuses a body larger than the limit with 413, before reading it when its length is declared, or once it inflates past it', async () => {
    const padded = JSON.stringify({ inputs: [X(featureRows(1))], parameters: { padding: 'x'.repeat(52_000_000) } });
    const declared = await answerToFirstBytes(`${h.gateway.url}/v2/models/${model}/infer`, Buffer.from(padded), 64 * 1024);
    expect(declared).toEqual({ status: 413, body: { error: `request body is larger than ${LIMIT} bytes` } });
    const bomb = gzipSync(padded);
    expect(bomb.length).toBeLessThan(LIMIT);
    expect(await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toEqual({ status: 413, body: { error: `request body is larger than ${LIMIT} bytes` } });
  });

  it('refuses an encoding it does not speak, a body that does not inflate and JSON that does not parse, in OIP form', async () => {
    expect(await post(Buffer.from(body), { 'content-encoding': 'br' })).toEqual({ status: 415, body: { error: 'Unsupported Content-Encoding: br' } });
    const corrupt = await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error).toEqual(expect.any(String));
    const malformed = await post('{"inputs": [', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toMatch(/^request body is not valid JSON: /);
  });

  it('serves its OpenAPI document and the UI over it', async () => {
    const document = await getJson<{ paths: Record<string, unknown> }>(`${h.gateway.url}/docs-json`);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/v2/models/{model}/infer', '/v2/health/ready', '/health/ready', '/metrics']));
    expect(JSON.stringify(document.body)).not.toContain('x-mlops-not-in-contract');
    const ui = await fetch(`${h.gateway.url}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
  });

  it('answers gRPC requests compressed with gzip or deflate by a stock grpc-js client', async () => {
    const want = await referenceOutputs(rows);
    for (const algorithm of [grpc.compressionAlgorithms.gzip, grpc.compressionAlgorithms.deflate]) {
      const client = h.newGrpcClient({ 'grpc.default_compression_algorithm': algorithm });
      try {
        const response = await h.grpc<{ outputs: { name: string }[]; raw_output_contents: Buffer[] }>('ModelInfer', inferRequest(model, rows), new grpc.Metadata(), client);
        const label = response.outputs.findIndex((o) => o.name === 'label');
        expect(Array.from(new BigInt64Array(Uint8Array.from(response.raw_output_contents[label]).buffer), Number)).toEqual(want.label);
      } finally {
        client.close();
      }
    }
  });

  it('refuses a gRPC message larger than the limit with RESOURCE_EXHAUSTED', async () => {
    const oversize = { ...inferRequest(model, rows), raw_input_contents: [Buffer.alloc(LIMIT + 1)] };
    await expect(h.grpc('ModelInfer', oversize)).rejects.toMatchObject({ code: grpc.status.RESOURCE_EXHAUSTED, details: expect.stringContaining('larger than max') });
    expect(await h.grpc('ServerLive', {})).toEqual({ live: true });
  });

  it('advertises its concurrent stream limit and refuses the streams past it with REFUSED_STREAM', async () => {
    // Stock clients keep to the limit; these calls are all sent before the server's SETTINGS are read, as a client
    // that ignores it would. Each call waits in the batcher, so the first 8 are still open when the others arrive.
    const session = connect(`http://127.0.0.1:${h.grpcPort}`);
    try {
      const settings = new Promise<{ maxConcurrentStreams?: number }>((resolve) => session.once('remoteSettings', resolve));
      const message = GRPC_DEFINITION.ModelInfer.requestSerialize(inferRequest(model, rows.slice(0, 1)));
      const prefix = Buffer.from([0, 0, 0, 0, 0]);
      prefix.writeUInt32BE(message.length, 1);
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, () => {
          const stream = session.request({ ':method': 'POST', ':path': '/inference.GRPCInferenceService/ModelInfer', 'content-type': 'application/grpc', te: 'trailers' });
          stream.end(Buffer.concat([prefix, message]));
          return new Promise<string>((resolve) => {
            let status = 'no trailers';
            stream.on('trailers', (trailers) => (status = `grpc-status ${trailers['grpc-status']}`));
            stream.on('error', () => undefined);
            stream.on('close', () => resolve(stream.rstCode === constants.NGHTTP2_REFUSED_STREAM ? 'REFUSED_STREAM' : status));
            stream.resume();
          });
        }),
      );
      expect((await settings).maxConcurrentStreams).toBe(8);
      expect(outcomes.filter((outcome) => outcome === 'grpc-status 0')).toHaveLength(8);
      expect(outcomes.filter((outcome) => outcome === 'REFUSED_STREAM')).toHaveLength(2);
    } finally {
      session.close();
    }
  });
});

/** POSTs only the first bytes of a body that declares its whole length, and reads the answer given to that. */
function answerToFirstBytes(url: string, body: Buffer, sent: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.write(body.subarray(0, sent));
  });
}

function inferRequest(model: string, rows: number[][]): Record<string, unknown> {
  return { model_name: model, inputs: [{ name: 'X', datatype: 'FP32', shape: [rows.length, 20] }], raw_input_contents: [Buffer.from(Float32Array.from(rows.flat()).buffer)] };
}
