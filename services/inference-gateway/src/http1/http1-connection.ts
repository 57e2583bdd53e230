import type { Socket } from 'node:net';
import type { Flushable, FlushScheduler } from '../transport/flush-scheduler';
import { bodyFraming, headerValue, keepsAlive, parseRequestHead, RequestHead } from './http1-request-head';
import { Http1Answer, responseHead } from './http1-response';

export interface Http1Request {
  head: RequestHead;
  body: Buffer;
}

/** Answers one request; it should not reject, a rejection becomes a 500. */
export type Http1Handler = (request: Http1Request) => Promise<Http1Answer>;

export interface Http1ConnectionOptions {
  /** The handler for a request this path serves, or null to leave the connection to the general server. */
  route: (head: RequestHead) => Http1Handler | null;
  /** Gives the socket, with every byte not yet consumed put back, to the general HTTP server for good. */
  handOver: (socket: Socket) => void;
  maxHeadBytes: number;
  maxBodyBytes: number;
  /** A coarse clock the server advances; the connection notes it on every read and answer, and the server ends idle ones. */
  clock: { seconds: number };
  /** Where a made answer waits to be written with the rest of its turn's. */
  scheduler: FlushScheduler;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** While a request is being answered, more than this much read ahead pauses the socket. */
const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * One client connection on the raw HTTP/1.1 path: requests are parsed and answered one at a time, in order
 * (pipelined requests wait in the buffer), each answer in a single write. The first request this path does not
 * serve (another route, chunked body, Expect, an upgrade) hands the connection, from that request on, to Node's
 * HTTP server, so everything but the hot route keeps Node's complete HTTP implementation.
 */
export class Http1Connection implements Flushable {
  private chunks: Buffer[] = [];
  private size = 0;
  private head: RequestHead | null = null;
  private handler: Http1Handler | null = null;
  private bodyBytes = 0;
  /** From a request's arrival until its answer is written. */
  private busy = false;
  private readyAnswer: Http1Answer | null = null;
  private readyKeepAlive = false;
  private closing = false;
  private gone = false;
  /** Clock second of the last read or answer: idleness counts from there. */
  private lastActive: number;

  private readonly onData = (chunk: Buffer) => {
    this.lastActive = this.options.clock.seconds;
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (!this.busy) this.next();
    else if (this.size > READ_AHEAD_BYTES) this.socket.pause();
  };
  private readonly onDrain = () => this.next();
  private readonly onClose = () => {
    this.gone = true;
    this.closed(this);
  };

  constructor(
    private readonly socket: Socket,
    private readonly options: Http1ConnectionOptions,
    private readonly closed: (connection: Http1Connection) => void,
  ) {
    this.lastActive = options.clock.seconds;
    socket.setNoDelay(true);
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('error', () => socket.destroy());
  }

  /** Ends a connection idle for more than `seconds` whole ticks of the clock (so for `seconds` to `seconds` + 1). */
  endIfIdle(seconds: number): void {
    if (!this.busy && this.options.clock.seconds - this.lastActive > seconds) this.socket.destroy();
  }

  /** Ends the connection once the answer in progress, if any, is written; `now`: an idle one at once. */
  close(now: boolean): void {
    this.closing = true;
    if (now && !this.busy) this.socket.end();
  }

  private next(): void {
    if (this.busy || this.gone) return;
    if (this.socket.writableNeedDrain) {
      this.socket.once('drain', this.onDrain);
      return;
    }
    if (!this.head && !this.readHead()) return;
    const head = this.head as RequestHead;
    if (this.size < head.length + this.bodyBytes) return;
    const bytes = this.take(head.length + this.bodyBytes);
    const handler = this.handler as Http1Handler;
    this.head = null;
    this.handler = null;
    this.busy = true;
    const keepAlive = keepsAlive(head);
    handler({ head, body: bytes.subarray(head.length) }).then(
      (answer) => this.answered(answer, keepAlive),
      () => this.answered({ status: 500, contentType: JSON_TYPE, body: '{"error":"internal error while serving the request"}' }, keepAlive),
    );
  }

  /** Parses the next head; false when it is not all here yet, or the connection was refused or handed over. */
  private readHead(): boolean {
    const bytes = this.joined();
    if (bytes.length === 0) return false;
    const parsed = parseRequestHead(bytes, 0, this.options.maxHeadBytes);
    if (parsed.kind === 'incomplete') return false;
    if (parsed.kind === 'malformed') return this.refuse(parsed.status, parsed.reason);
    const head = parsed.head;
    const framing = bodyFraming(head.headers);
    if (framing.kind === 'invalid') return this.refuse(400, framing.reason);
    const plain = framing.kind === 'length' && headerValue(head.headers, 'expect') === undefined && headerValue(head.headers, 'upgrade') === undefined;
    const handler = plain ? this.options.route(head) : null;
    if (!handler || framing.kind !== 'length') return this.handOver();
    if (framing.bytes > this.options.maxBodyBytes) return this.refuse(413, `request body is larger than ${this.options.maxBodyBytes} bytes`);
    this.head = head;
    this.handler = handler;
    this.bodyBytes = framing.bytes;
    return true;
  }

  private answered(answer: Http1Answer, keepAlive: boolean): void {
    this.readyAnswer = answer;
    this.readyKeepAlive = keepAlive;
    this.options.scheduler.schedule(this);
  }

  /** Writes the answer made this turn (see answered). */
  flush(): void {
    const answer = this.readyAnswer as Http1Answer;
    this.readyAnswer = null;
    this.busy = false;
    this.lastActive = this.options.clock.seconds;
    if (this.gone) return;
    const keep = this.readyKeepAlive && !this.closing;
    this.write(answer, keep);
    if (!keep) {
      this.gone = true;
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    this.next();
  }

  private write(answer: Http1Answer, keepAlive: boolean): void {
    const { body } = answer;
    if (typeof body === 'string') {
      this.socket.write(responseHead(answer, Buffer.byteLength(body), keepAlive) + body);
    } else {
      this.socket.cork();
      this.socket.write(responseHead(answer, body.length, keepAlive), 'latin1');
      this.socket.write(body);
      this.socket.uncork();
    }
  }

  /** A request that cannot be read reliably ends the connection: nothing after it can be framed with confidence. */
  private refuse(status: number, reason: string): false {
    this.gone = true;
    this.write({ status, contentType: JSON_TYPE, body: JSON.stringify({ error: reason }) }, false);
    this.socket.end();
    return false;
  }

  private handOver(): false {
    const socket = this.socket;
    this.gone = true;
    socket.pause();
    socket.removeListener('data', this.onData);
    socket.removeListener('close', this.onClose);
    socket.removeAllListeners('error');
    this.closed(this);
    const rest = this.joined();
    if (rest.length > 0) socket.unshift(rest);
    this.options.handOver(socket);
    socket.resume();
    return false;
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** The first `bytes` bytes, removed from the buffer. */
  private take(bytes: number): Buffer {
    const all = this.joined();
    const rest = all.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return all.subarray(0, bytes);
  }
}
