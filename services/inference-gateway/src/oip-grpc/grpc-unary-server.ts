import { createServer, Http2Server, Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { AddressInfo } from 'node:net';
import { encodeGrpcMessage, FRAME_PREFIX_BYTES, frameMessage, GrpcCallError, GrpcStatus, GrpcStatusCode, parseGrpcTimeout, unaryRequestMessage } from './grpc-wire';

/** One unary method: its codec and what answers it. */
export interface UnaryMethod {
  decode(message: Buffer): unknown;
  encode(response: unknown): Buffer;
  handle(request: unknown, headers: IncomingHttpHeaders): unknown;
}

const RESPONSE_HEADERS = {
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
};
const OK_TRAILERS = { 'grpc-status': '0', 'grpc-message': 'OK' };

/**
 * Unary gRPC over node:http2 without grpc-js's general machinery (interceptors, streaming call objects,
 * Metadata copies, per-call timers when no deadline is set): under load grpc-js's own layers cost more CPU per
 * call than the inference. Wire behaviour follows the gRPC HTTP/2 protocol and grpc-js's server answers.
 */
export class GrpcUnaryServer {
  private readonly server: Http2Server;
  private readonly sessions = new Set<Http2Session>();

  constructor(
    private readonly methods: ReadonlyMap<string, UnaryMethod>,
    private readonly maxReceiveBytes: number,
    private readonly onInternalError: (path: string, err: unknown) => void,
  ) {
    this.server = createServer({ maxSessionMemory: Number.MAX_SAFE_INTEGER, maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER });
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
      session.on('error', () => session.destroy());
    });
    this.server.on('stream', (stream, headers) => this.call(stream, headers));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting, lets calls in flight finish (GOAWAY), and cuts what is still open after `graceMs`. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    const force = setTimeout(() => this.sessions.forEach((session) => session.destroy()), graceMs);
    await closed;
    clearTimeout(force);
  }

  private call(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    const contentType = headers['content-type'];
    if (typeof contentType !== 'string' || !contentType.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const path = headers[':path'] ?? '';
    const method = this.methods.get(path);
    if (!method) {
      stream.resume();
      endWithStatus(stream, GrpcStatus.UNIMPLEMENTED, `The server does not implement the method ${path}`);
      return;
    }
    // Checked when the answer is ready rather than by a timer per call: the client enforces its own deadline
    // anyway, and a running inference cannot be interrupted; a late answer still becomes DEADLINE_EXCEEDED.
    let deadline = Infinity;
    const timeout = headers['grpc-timeout'];
    if (typeof timeout === 'string') {
      const ms = parseGrpcTimeout(timeout);
      if (ms === null) {
        stream.resume();
        endWithStatus(stream, GrpcStatus.INTERNAL, `Invalid grpc-timeout value "${timeout}"`);
        return;
      }
      deadline = performance.now() + ms;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      const wasTooLarge = received > this.maxReceiveBytes + FRAME_PREFIX_BYTES;
      received += chunk.length;
      if (received <= this.maxReceiveBytes + FRAME_PREFIX_BYTES) chunks.push(chunk);
      else if (!wasTooLarge) {
        chunks.length = 0;
        endWithStatus(stream, GrpcStatus.RESOURCE_EXHAUSTED, `Received message larger than max (${received - FRAME_PREFIX_BYTES} vs. ${this.maxReceiveBytes})`);
      }
    });
    stream.on('end', () => {
      if (received > this.maxReceiveBytes + FRAME_PREFIX_BYTES) return;
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      const encoding = typeof headers['grpc-encoding'] === 'string' ? headers['grpc-encoding'] : 'identity';
      unaryRequestMessage(body, encoding, this.maxReceiveBytes)
        .then((message) => method.handle(decodeRequest(method, message), headers))
        .then(
          (response) => {
            if (performance.now() > deadline) return endWithStatus(stream, GrpcStatus.DEADLINE_EXCEEDED, 'Deadline exceeded');
            if (!open(stream)) return;
            stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
            stream.once('wantTrailers', () => stream.sendTrailers(OK_TRAILERS));
            stream.end(frameMessage(method.encode(response)));
          },
          (err: unknown) => {
            if (err instanceof GrpcCallError) return endWithStatus(stream, err.code, err.details);
            this.onInternalError(path, err);
            endWithStatus(stream, GrpcStatus.INTERNAL, 'internal error while serving the request');
          },
        );
    });
  }
}

function decodeRequest(method: UnaryMethod, message: Buffer): unknown {
  try {
    return method.decode(message);
  } catch (err) {
    throw new GrpcCallError(GrpcStatus.INTERNAL, `Error deserializing request: ${(err as Error).message}`);
  }
}

function open(stream: ServerHttp2Stream): boolean {
  return !stream.destroyed && !stream.closed && !stream.headersSent;
}

/** A trailers-only response: the status travels in the one HEADERS frame that ends the stream. */
function endWithStatus(stream: ServerHttp2Stream, code: GrpcStatusCode, details: string): void {
  if (!open(stream)) return;
  stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(details) }, { endStream: true });
}
