import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';

export interface RawGrpcAnswer {
  headers: IncomingHttpHeaders;
  /** Empty for a trailers-only answer, whose status is in `headers`. */
  trailers: IncomingHttpHeaders;
  body: Buffer;
  /** The stream's RST_STREAM code at close: NGHTTP2_NO_ERROR for an answer that ended normally. */
  rstCode: number;
}

/** One gRPC call written by hand with node:http2, to see the answer as it is on the wire. */
export function rawGrpcCall(session: ClientHttp2Session, path: string, body: Buffer, extraHeaders: Record<string, string | string[]> = {}): { stream: ClientHttp2Stream; answer: Promise<RawGrpcAnswer> } {
  const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...extraHeaders });
  const answer = new Promise<RawGrpcAnswer>((resolve, reject) => {
    let headers: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => (headers = h));
    stream.on('trailers', (t) => (trailers = t));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => resolve({ headers, trailers, body: Buffer.concat(chunks), rstCode: stream.rstCode }));
  });
  stream.end(body);
  return { stream, answer };
}
