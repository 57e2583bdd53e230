import type { IncomingHttpHeaders } from 'node:http2';
import { encodeGrpcMessage, FRAME_PREFIX_BYTES, frameMessage, GrpcCallError, GrpcStatus, GrpcStatusCode, parseGrpcTimeout, unaryRequestMessage } from './grpc-wire';
import { encodeHeaderBlock } from './http2/hpack-encoder';
import { httpDate } from './http2/http-date';
import { Http2Server } from './http2/http2-server';
import type { Http2Request } from './http2/http2-stream';

/** One unary method: its codec and what answers it. */
export interface UnaryMethod {
  decode(message: Buffer): unknown;
  encode(response: unknown): Buffer;
  handle(request: unknown, headers: IncomingHttpHeaders): unknown;
}

const CONTENT_TYPE = 'application/grpc+proto';
const OK_TRAILERS = encodeHeaderBlock([
  ['grpc-status', '0'],
  ['grpc-message', 'OK'],
]);

/** The response headers of a successful call, encoded again only when the date changes, once a second. */
let okHeadDate = '';
let okHead: Buffer = Buffer.alloc(0);
function successHead(): Buffer {
  const date = httpDate();
  if (date !== okHeadDate) {
    okHeadDate = date;
    okHead = encodeHeaderBlock([
      [':status', '200'],
      ['content-type', CONTENT_TYPE],
      ['grpc-accept-encoding', 'identity,deflate,gzip'],
      ['grpc-encoding', 'identity'],
      ['date', date],
    ]);
  }
  return okHead;
}

/**
 * Unary gRPC over our own HTTP/2 transport (`http2/`), without grpc-js's general machinery (interceptors, streaming
 * call objects, Metadata copies, per-call timers) or node:http2's per-stream objects and events: under load those
 * layers cost more CPU per call than the inference. Wire behaviour follows the gRPC HTTP/2 protocol and grpc-js's
 * server answers.
 */
export class GrpcUnaryServer {
  private readonly server: Http2Server;

  constructor(
    private readonly methods: ReadonlyMap<string, UnaryMethod>,
    private readonly maxReceiveBytes: number,
    private readonly onInternalError: (path: string, err: unknown) => void,
  ) {
    this.server = new Http2Server({ maxBodyBytes: maxReceiveBytes + FRAME_PREFIX_BYTES, onRequest: (request) => this.call(request) });
  }

  listen(host: string, port: number): Promise<number> {
    return this.server.listen(host, port);
  }

  /** Stops accepting, lets calls in flight finish (GOAWAY), and cuts what is still open after `graceMs`. */
  close(graceMs: number): Promise<void> {
    return this.server.close(graceMs);
  }

  private call(stream: Http2Request): void {
    const headers = stream.headers as IncomingHttpHeaders;
    const contentType = headers['content-type'];
    if (typeof contentType !== 'string' || !contentType.startsWith('application/grpc')) {
      stream.respond(
        encodeHeaderBlock([
          [':status', '415'],
          ['date', httpDate()],
        ]),
        null,
        null,
      );
      return;
    }
    const path = headers[':path'] ?? '';
    const method = this.methods.get(path);
    if (!method) return endWithStatus(stream, GrpcStatus.UNIMPLEMENTED, `The server does not implement the method ${path}`);
    // Checked when the answer is ready rather than by a timer per call: the client enforces its own deadline
    // anyway, and a running inference cannot be interrupted; a late answer still becomes DEADLINE_EXCEEDED.
    // The clock starts when the request is complete: for all but a large body, when its headers arrived.
    let deadline = Infinity;
    const timeout = headers['grpc-timeout'];
    if (typeof timeout === 'string') {
      const ms = parseGrpcTimeout(timeout);
      if (ms === null) return endWithStatus(stream, GrpcStatus.INTERNAL, `Invalid grpc-timeout value "${timeout}"`);
      deadline = performance.now() + ms;
    }
    if (stream.bodyTooLarge) {
      return endWithStatus(stream, GrpcStatus.RESOURCE_EXHAUSTED, `Received message larger than max (${stream.bodyBytes - FRAME_PREFIX_BYTES} vs. ${this.maxReceiveBytes})`);
    }
    const encoding = typeof headers['grpc-encoding'] === 'string' ? headers['grpc-encoding'] : 'identity';
    unaryRequestMessage(stream.body, encoding, this.maxReceiveBytes)
      .then((message) => method.handle(decodeRequest(method, message), headers))
      .then(
        (response) => {
          if (performance.now() > deadline) return endWithStatus(stream, GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded');
          if (stream.closed) return;
          stream.respond(successHead(), frameMessage(method.encode(response)), OK_TRAILERS);
        },
        (err: unknown) => {
          if (err instanceof GrpcCallError) return endWithStatus(stream, err.code, err.details);
          this.onInternalError(path, err);
          endWithStatus(stream, GrpcStatus.INTERNAL, 'internal error while serving the request');
        },
      );
  }
}

function decodeRequest(method: UnaryMethod, message: Buffer): unknown {
  try {
    return method.decode(message);
  } catch (err) {
    throw new GrpcCallError(GrpcStatus.INTERNAL, `Error deserializing request: ${(err as Error).message}`);
  }
}

/** A trailers-only response: the status travels in the one HEADERS frame that ends the stream. */
function endWithStatus(stream: Http2Request, code: GrpcStatusCode, details: string): void {
  if (stream.closed) return;
  const head = encodeHeaderBlock([
    [':status', '200'],
    ['content-type', CONTENT_TYPE],
    ['grpc-status', String(code)],
    ['grpc-message', encodeGrpcMessage(details)],
    ['date', httpDate()],
  ]);
  stream.respond(head, null, null);
}
