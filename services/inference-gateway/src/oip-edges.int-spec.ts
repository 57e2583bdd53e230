import * as grpc from '@grpc/grpc-js';
import { request } from 'node:http';
import { connect } from 'node:http2';
import { deflateSync, gzipSync } from 'node:zlib';
import { getJson } from '@mlops/testing';
import { featureRows, GatewayHarness, InferBody, referenceOutputs, uniqueModelName } from './testing/gateway-harness';

// What the REST and gRPC edges accept and refuse before the data plane sees a request: body and message limits,
// compressed bodies and messages, the stream limit, the OpenAPI document.

const LIMIT = 16 * 1024 * 1024;
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
    h = await GatewayHarness.start({ MLOPS_GATEWAY_GRPC_MAX_CONCURRENT_STREAMS: '8' });
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

  it('advertises its concurrent stream limit to every gRPC connection', async () => {
    const session = connect(`http://127.0.0.1:${h.grpcPort}`);
    try {
      const settings = await new Promise<{ maxConcurrentStreams?: number }>((resolve, reject) => {
        session.once('remoteSettings', resolve);
        session.once('error', reject);
      });
      expect(settings.maxConcurrentStreams).toBe(8);
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
