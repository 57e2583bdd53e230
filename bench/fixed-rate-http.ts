// JSON POSTs for open-loop load (see fixed-rate.ts) on raw TCP sockets: node:http's request/Agent machinery costs
// ~100 us of CPU per call, which at tens of thousands of calls a second is a core of the load generator's own and
// shows up as the server's tail. Here a call is one write of prebuilt bytes and a scan of the answer's head.
import { Socket, connect } from 'node:net';

const HEAD_END = '\r\n\r\n';
/** A head this long without its end is not an HTTP answer worth waiting for. */
const MAX_HEAD_BYTES = 64 * 1024;

interface Call {
  resolve(): void;
  reject(err: Error): void;
}

interface Target {
  host: string;
  port: number;
  /** For errors: host:port as in the URL. */
  label: string;
}

/** JSON POSTs over a fixed pool of keep-alive connections; a call rejects on a transport error or a non-2xx. */
export class HttpPoster {
  private readonly target: Target;
  private readonly requestHead: string;
  private readonly pool: Connection[];
  private lastBody: string | null = null;
  private lastRequest = Buffer.alloc(0);
  private rotation = 0;

  /** `headers` go on every request, e.g. an API key's authorization. */
  constructor(url: string, connections: number, headers: Record<string, string> = {}) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:') throw new Error(`HttpPoster speaks plain HTTP only, not ${parsed.protocol} (${url})`);
    // URL keeps an IPv6 literal in brackets; net.connect wants it bare.
    const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
    this.target = { host, port: Number(parsed.port || 80), label: parsed.host };
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    this.requestHead = `POST ${parsed.pathname}${parsed.search} HTTP/1.1\r\nHost: ${parsed.host}\r\ncontent-type: application/json\r\n${extra}`;
    this.pool = Array.from({ length: Math.max(1, connections) }, () => new Connection(this.target));
  }

  post(body: string): Promise<void> {
    const request = this.requestBytes(body);
    return new Promise((resolve, reject) => this.leastBusyConnection().send(request, { resolve, reject }));
  }

  close(): void {
    for (const connection of this.pool) connection.close();
  }

  /** The same body is usually posted over and over: its bytes are built once. */
  private requestBytes(body: string): Buffer {
    if (body !== this.lastBody) {
      this.lastBody = body;
      this.lastRequest = Buffer.from(`${this.requestHead}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    return this.lastRequest;
  }

  /**
   * An idle connection if there is one, else the one with the fewest answers due: the schedule never waits. The
   * search for an idle one starts one further each call, so every connection stays in use: one left idle for the
   * server's keep-alive timeout (5 s in Node) is closed by it, and a request sent as it closes fails with ECONNRESET.
   */
  private leastBusyConnection(): Connection {
    const size = this.pool.length;
    this.rotation = (this.rotation + 1) % size;
    let best = this.pool[this.rotation];
    for (let i = 0; i < size; i++) {
      const connection = this.pool[(this.rotation + i) % size];
      if (connection.outstanding === 0) return connection;
      if (connection.outstanding < best.outstanding) best = connection;
    }
    return best;
  }
}

/** One keep-alive connection, opened on first use and again after it fails; answers complete calls in order. */
class Connection {
  private socket: Socket | null = null;
  private readonly calls: Call[] = [];
  private readonly answer = new AnswerReader();

  constructor(private readonly target: Target) {}

  get outstanding(): number {
    return this.calls.length;
  }

  send(request: Buffer, call: Call): void {
    this.calls.push(call);
    (this.socket ?? this.open()).write(request);
  }

  close(): void {
    if (this.socket) this.fail(this.socket, new Error('HttpPoster closed'));
  }

  private open(): Socket {
    const socket = connect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(socket, chunk));
    socket.on('error', (err) => this.fail(socket, err));
    socket.on('close', () => this.fail(socket, new Error(`connection to ${this.target.label} closed with ${this.calls.length} answer(s) due`)));
    this.socket = socket;
    return socket;
  }

  private receive(socket: Socket, chunk: Buffer): void {
    try {
      this.answer.read(chunk, (status) => this.complete(status));
    } catch (err) {
      this.fail(socket, err as Error);
    }
  }

  private complete(status: number): void {
    const call = this.calls.shift();
    if (!call) throw new Error(`HTTP ${status} answer from ${this.target.label} to no request`);
    if (status >= 200 && status < 300) call.resolve();
    else call.reject(new Error(`HTTP ${status}`));
  }

  /** Rejects every call due on `socket`; the next send opens a new connection. Late events of a replaced socket are ignored. */
  private fail(socket: Socket, err: Error): void {
    if (socket !== this.socket) return;
    this.socket = null;
    this.answer.reset();
    socket.destroy();
    for (const call of this.calls.splice(0)) call.reject(err);
  }
}

/**
 * Reads HTTP/1.1 answers off a byte stream that may split them anywhere or pack several in one chunk. Only
 * Content-Length framing is understood: a benchmark's server answers small JSON, and an answer without a length
 * would need chunked decoding that this reader does not have, so it is an error.
 */
class AnswerReader {
  /** The start of a head whose end has not arrived yet. */
  private partialHead: Buffer | null = null;
  /** Status of the answer whose body is being skipped, and how many of its bytes are still to come; -1 while reading a head. */
  private status = 0;
  private bodyBytesLeft = -1;

  reset(): void {
    this.partialHead = null;
    this.bodyBytesLeft = -1;
  }

  /** Calls `complete` with the status of each answer that ends in `chunk`; throws on an answer it cannot frame. */
  read(chunk: Buffer, complete: (status: number) => void): void {
    let bytes = chunk;
    let offset = 0;
    if (this.partialHead) {
      bytes = Buffer.concat([this.partialHead, chunk]);
      this.partialHead = null;
    }
    while (offset < bytes.length) {
      if (this.bodyBytesLeft >= 0) {
        const skipped = Math.min(this.bodyBytesLeft, bytes.length - offset);
        offset += skipped;
        this.bodyBytesLeft -= skipped;
        if (this.bodyBytesLeft === 0) this.finish(complete);
        continue;
      }
      const headEnd = bytes.indexOf(HEAD_END, offset, 'latin1');
      if (headEnd === -1) {
        if (bytes.length - offset > MAX_HEAD_BYTES) throw new Error(`HTTP answer head longer than ${MAX_HEAD_BYTES} bytes`);
        this.partialHead = bytes.subarray(offset);
        return;
      }
      this.readHead(bytes.toString('latin1', offset, headEnd));
      offset = headEnd + HEAD_END.length;
      if (this.bodyBytesLeft === 0) this.finish(complete);
    }
  }

  private finish(complete: (status: number) => void): void {
    this.bodyBytesLeft = -1;
    complete(this.status);
  }

  /** Sets status and body length from a head (status line and header lines, without the blank line). */
  private readHead(head: string): void {
    const status = head.startsWith('HTTP/1.') ? Number(head.slice(9, 12)) : NaN;
    if (!Number.isInteger(status)) throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(head.split('\r\n', 1)[0])}`);
    // 1xx answers (100 Continue) precede the real one and have no body: skip them. 204 and 304 never have one.
    if (status < 200) return;
    this.status = status;
    this.bodyBytesLeft = status === 204 || status === 304 ? 0 : contentLength(head, status);
  }
}

function contentLength(head: string, status: number): number {
  const lower = head.toLowerCase();
  const name = '\r\ncontent-length:';
  const at = lower.indexOf(name);
  if (at === -1) {
    const framing = lower.includes('\r\ntransfer-encoding:') ? 'Transfer-Encoding (chunked)' : 'no length (body until close)';
    throw new Error(`HTTP ${status} answer without Content-Length: ${framing} is not supported by HttpPoster`);
  }
  const valueEnd = lower.indexOf('\r\n', at + name.length);
  const value = lower.slice(at + name.length, valueEnd === -1 ? undefined : valueEnd).trim();
  const length = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(length)) throw new Error(`HTTP ${status} answer with a bad Content-Length: ${JSON.stringify(value)}`);
  return length;
}
