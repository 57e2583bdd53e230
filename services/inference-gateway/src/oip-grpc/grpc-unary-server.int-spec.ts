import { ClientHttp2Session, connect, constants, IncomingHttpHeaders } from 'node:http2';
import { GrpcUnaryServer, UnaryMethod } from './grpc-unary-server';
import { frameMessage as frame } from './grpc-wire';
import { RawGrpcAnswer, rawGrpcCall } from '../testing/raw-grpc-call';

// The gRPC layer on its transport, without the platform: what a handler is given and the exact answers on the
// wire (oip-grpc-wire.int-spec.ts checks the gateway's methods the same way, with models behind them).

function call(session: ClientHttp2Session, path: string, body: Buffer, extra: Record<string, string | string[]> = {}): Promise<RawGrpcAnswer> {
  return rawGrpcCall(session, path, body, extra).answer;
}

/** The fields as a plain object (node:http2 adds a symbol), the date checked and left out. */
function fields(headers: IncomingHttpHeaders): Record<string, unknown> {
  if (headers.date !== undefined) expect(Math.abs(Date.parse(String(headers.date)) - Date.now())).toBeLessThan(5000);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));
}

describe('GrpcUnaryServer on the HTTP/2 transport', () => {
  const MAX = 1000;
  const handled: IncomingHttpHeaders[] = [];
  const internalErrors: string[] = [];
  let release: (() => void) | null = null;
  const methods = new Map<string, UnaryMethod>([
    ['/t.S/Echo', { decode: (m) => m, encode: (r) => r as Buffer, handle: (request, headers) => (handled.push(headers), request) }],
    ['/t.S/Slow', { decode: (m) => m, encode: (r) => r as Buffer, handle: (request) => new Promise((resolve) => (release = () => resolve(request))) }],
  ]);
  let server: GrpcUnaryServer;
  let session: ClientHttp2Session;

  beforeAll(async () => {
    server = new GrpcUnaryServer(methods, MAX, (path) => internalErrors.push(path));
    const port = await server.listen('127.0.0.1', 0);
    session = connect(`http://127.0.0.1:${port}`);
  });

  afterAll(async () => {
    session.close();
    await server.close(100);
  });

  it('answers with the response headers, message and trailers grpc-js sends, and hands the request headers over', async () => {
    const answer = await call(session, '/t.S/Echo', frame(Buffer.from('hello')), { 'x-meta': ['a', 'b'], 'x-one': 'v' });
    expect(answer.headers.date).toBeDefined();
    expect(fields(answer.headers)).toEqual({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-accept-encoding': 'identity,deflate,gzip', 'grpc-encoding': 'identity' });
    expect(fields(answer.trailers)).toEqual({ 'grpc-status': '0', 'grpc-message': 'OK' });
    expect(answer.body).toEqual(frame(Buffer.from('hello')));
    expect(handled[0]).toMatchObject({ ':method': 'POST', ':path': '/t.S/Echo', ':scheme': 'http', 'content-type': 'application/grpc', 'x-meta': ['a', 'b'], 'x-one': 'v' });
  });

  it('refuses a body past the receive limit with RESOURCE_EXHAUSTED in a trailers-only answer, the handler not called', async () => {
    const before = handled.length;
    const answer = await call(session, '/t.S/Echo', frame(Buffer.alloc(MAX + 1)));
    expect(answer.headers.date).toBeDefined();
    expect(fields(answer.headers)).toEqual({
      ':status': 200,
      'content-type': 'application/grpc+proto',
      'grpc-status': '8',
      'grpc-message': `Received message larger than max (${MAX + 1} vs. ${MAX})`,
    });
    expect(answer.body.length).toBe(0);
    expect(handled.length).toBe(before);
  });

  it('drops the answer of a call the client reset before it, without an error, and goes on serving', async () => {
    const stream = session.request({ ':method': 'POST', ':path': '/t.S/Slow', 'content-type': 'application/grpc', te: 'trailers' });
    stream.on('error', () => undefined);
    stream.end(frame(Buffer.from('slow')));
    while (release === null) await new Promise((resolve) => setTimeout(resolve, 5));
    stream.close(constants.NGHTTP2_CANCEL);
    await new Promise((resolve) => setTimeout(resolve, 50));
    (release as () => void)();
    const answer = await call(session, '/t.S/Echo', frame(Buffer.from('after')));
    expect(answer.trailers['grpc-status']).toBe('0');
    expect(internalErrors).toEqual([]);
  });
});
