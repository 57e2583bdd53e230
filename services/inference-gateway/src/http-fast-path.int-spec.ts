import { Agent, request } from 'node:http';
import { featureRows, GatewayHarness, uniqueModelName } from './testing/gateway-harness';

/** Requests in order on one kept-alive connection. */
async function onOneConnection(base: string, calls: { method: string; path: string; body?: string }[]): Promise<{ status: number; body: string }[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sockets = new Set<unknown>();
  const answers: { status: number; body: string }[] = [];
  try {
    for (const call of calls) {
      answers.push(
        await new Promise((resolve, reject) => {
          const req = request(`${base}${call.path}`, { method: call.method, agent }, (res) => {
            sockets.add(res.socket);
            let body = '';
            res.on('data', (chunk) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject);
          req.end(call.body);
        }),
      );
    }
  } finally {
    agent.destroy();
  }
  expect(sockets.size).toBe(1);
  return answers;
}

interface Exchange {
  status: number;
  contentType: string | null;
  headerLength: string | null;
  body: string;
}

const X = (rows: number[][], extra: Record<string, unknown> = {}) => ({ name: 'X', datatype: 'FP32', shape: [rows.length, 20], data: rows, ...extra });
const rows = featureRows(2, 5);
const binaryX = Buffer.from(Float32Array.from(rows.flat()).buffer);

// Same inputs to both routes; every body carries an id so the answers are comparable byte for byte.
const CASES: { name: string; path: (model: string) => string; body: string | Buffer; headers?: Record<string, string> }[] = [
  { name: 'nested rows', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'c1', inputs: [X(rows)] }) },
  { name: 'flat data, one output, explicit version', path: (m) => `/v2/models/${m}/versions/1/infer`, body: JSON.stringify({ id: 'c2', inputs: [X(rows, { data: rows.flat() })], outputs: [{ name: 'probabilities' }] }) },
  { name: 'no content type', path: (m) => `/v2/models/${m}/infer`, body: Buffer.from(JSON.stringify({ id: 'c3', inputs: [X(rows)] })), headers: {} },
  {
    name: 'binary tensor extension in and out',
    path: (m) => `/v2/models/${m}/infer`,
    body: Buffer.concat([Buffer.from(JSON.stringify({ id: 'c4', inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20], parameters: { binary_data_size: binaryX.length } }], outputs: [{ name: 'label', parameters: { binary_data: true } }] })), binaryX]),
    headers: { 'inference-header-content-length': String(Buffer.byteLength(JSON.stringify({ id: 'c4', inputs: [{ name: 'X', datatype: 'FP32', shape: [2, 20], parameters: { binary_data_size: binaryX.length } }], outputs: [{ name: 'label', parameters: { binary_data: true } }] }))) },
  },
  { name: 'wrong datatype', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e1', inputs: [X(rows, { datatype: 'FP64' })] }) },
  { name: 'wrong shape', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e2', inputs: [X(rows, { shape: [2, 19] })] }) },
  { name: 'unknown input', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e3', inputs: [X(rows), { name: 'Y', datatype: 'FP32', shape: [1], data: [1] }] }) },
  { name: 'too many rows', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e4', inputs: [X(featureRows(5))] }) },
  { name: 'element of the wrong type', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e5', inputs: [X(rows, { data: [[...rows[0].slice(0, 19), 'x'], rows[1]] })] }) },
  { name: 'negative dimension', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e6', inputs: [X(rows, { shape: [-2, 20] })] }) },
  { name: 'unknown output', path: (m) => `/v2/models/${m}/infer`, body: JSON.stringify({ id: 'e7', inputs: [X(rows)], outputs: [{ name: 'nope' }] }) },
  { name: 'unknown version', path: (m) => `/v2/models/${m}/versions/9/infer`, body: JSON.stringify({ id: 'e8', inputs: [X(rows)] }) },
  { name: 'unknown model', path: () => `/v2/models/no-such-model/infer`, body: JSON.stringify({ id: 'e9', inputs: [X(rows)] }) },
];

async function exchange(base: string, path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Exchange> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    headerLength: response.headers.get('inference-header-content-length'),
    body: Buffer.from(await response.arrayBuffer()).toString('base64'),
  };
}

describe('HTTP infer: the raw fast route answers exactly as the Nest route', () => {
  let fast: GatewayHarness;
  let nest: GatewayHarness;
  const model = uniqueModelName('gw-parity');

  beforeAll(async () => {
    [fast, nest] = await Promise.all([GatewayHarness.start(), GatewayHarness.start({ MLOPS_GATEWAY_HTTP_FAST_PATH: 'false' })]);
    // Both gateways follow the same deployment topic.
    await fast.deploy({ modelName: model, revision: 1, champion: await fast.upload(model, 1), challenger: null });
    await Promise.all([fast.waitForRevision(model, 1), nest.waitForRevision(model, 1)]);
  });

  afterAll(async () => {
    await Promise.all([fast?.stop(), nest?.stop()]);
  });

  it.each(CASES.map((c) => [c.name, c]))('%s', async (_name, c) => {
    const viaFast = await exchange(fast.gateway.url, c.path(model), c.body, c.headers);
    const viaNest = await exchange(nest.gateway.url, c.path(model), c.body, c.headers);
    expect(viaFast).toEqual(viaNest);
    expect(viaFast.status).not.toBe(500);
  });

  it('answers infer the same on a connection that carried other requests before', async () => {
    const body = JSON.stringify({ id: 'k1', inputs: [X(rows)] });
    const [first, ready, afterOther, malformed] = await onOneConnection(fast.gateway.url, [
      { method: 'POST', path: `/v2/models/${model}/infer`, body },
      { method: 'GET', path: '/v2/health/ready' },
      { method: 'POST', path: `/v2/models/${model}/infer`, body },
      { method: 'POST', path: `/v2/models/${model}/infer`, body: '{"inputs": [' },
    ]);
    expect(ready.status).toBe(200);
    expect(afterOther).toEqual(first);
    expect(first.status).toBe(200);
    expect([malformed.status, JSON.parse(malformed.body)]).toEqual([400, { error: expect.stringMatching(/^request body is not valid JSON: /) }]);
  });

  // Through Nest, Express's JSON parser refuses malformed JSON before the OIP error filter is reached, in its own
  // body format; the fast route answers in OIP's { error } form. Same status, a better body.
  it('malformed JSON: 400 on both, in OIP form on the fast route', async () => {
    const viaFast = await exchange(fast.gateway.url, `/v2/models/${model}/infer`, '{"inputs": [');
    const viaNest = await exchange(nest.gateway.url, `/v2/models/${model}/infer`, '{"inputs": [');
    expect([viaFast.status, viaNest.status]).toEqual([400, 400]);
    expect(JSON.parse(Buffer.from(viaFast.body, 'base64').toString())).toEqual({ error: expect.stringMatching(/^request body is not valid JSON: /) });
  });
});
