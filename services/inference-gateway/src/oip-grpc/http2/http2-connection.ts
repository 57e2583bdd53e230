import type { Duplex } from 'node:stream';
import type { Flushable, FlushScheduler } from '../../transport/flush-scheduler';
import { FrameWriter } from './frame-writer';
import {
  CLIENT_PREFACE,
  ConnectionError,
  DEFAULT_HEADER_TABLE_SIZE,
  DEFAULT_MAX_FRAME_SIZE,
  DEFAULT_WINDOW_SIZE,
  ErrorCode,
  ErrorCodeValue,
  Flag,
  FRAME_HEADER_BYTES,
  FrameType,
  MAX_WINDOW_SIZE,
  Setting,
} from './frames';
import { encodeHeaderBlock } from './hpack-encoder';
import { HeaderList, HpackDecoder, HpackError } from './hpack-decoder';
import { Http2Request, Http2Stream, StreamOwner } from './http2-stream';
import { requestHeaders } from './request-headers';

export const MAX_CONCURRENT_STREAMS = 1000;
/**
 * Our receive windows. Large, so a request of a few MiB is not held back by round trips for credit; what arrives is
 * consumed (kept as the request body) at once, and credit goes back once half a window is used, one WINDOW_UPDATE
 * for many frames.
 */
export const STREAM_WINDOW = 1 << 20;
export const CONNECTION_WINDOW = 1 << 24;
export const MAX_HEADER_LIST_BYTES = 64 * 1024;
/** A header block's encoded size across CONTINUATION frames; past it the peer is flooding us. */
const MAX_HEADER_BLOCK_BYTES = 4 * MAX_HEADER_LIST_BYTES;
/**
 * Past this much written but not yet taken by the kernel, reading stops until it drains: a client that sends calls
 * but does not read their answers would otherwise have us queue answers without end.
 */
export const WRITE_BACKLOG_BYTES = 4 * 1024 * 1024;

const OUR_SETTINGS: readonly (readonly [number, number])[] = [
  [Setting.MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS],
  [Setting.INITIAL_WINDOW_SIZE, STREAM_WINDOW],
  [Setting.MAX_HEADER_LIST_SIZE, MAX_HEADER_LIST_BYTES],
];
const HEADER_FIELDS_TOO_LARGE = encodeHeaderBlock([[':status', '431']]);

export interface Http2ConnectionOptions {
  /** Called once per request, when the client has ended its stream; it should not throw. */
  onRequest: (request: Http2Request) => void;
  /** Request DATA past this many octets is discarded (and still credited), and the request flagged. */
  maxBodyBytes: number;
  scheduler: FlushScheduler;
  onClose: (connection: Http2Connection) => void;
}

/**
 * The server side of one HTTP/2 connection (RFC 9113) on a byte stream: frames are parsed in a loop over each read,
 * streams are kept until their answer is sent, and everything written in an event-loop turn leaves in one flush.
 * Connection errors end it with GOAWAY; stream errors reset the stream.
 */
export class Http2Connection implements Flushable, StreamOwner {
  private readonly streams = new Map<number, Http2Stream>();
  private readonly decoder = new HpackDecoder(DEFAULT_HEADER_TABLE_SIZE, MAX_HEADER_LIST_BYTES);
  private readonly fields = new HeaderList();
  private readonly out = new FrameWriter();
  /** Streams whose answer waits for send window, oldest first. */
  private blocked: Http2Stream[] = [];

  /** Bytes of an incomplete preface or frame, from earlier reads. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private prefaceDone = false;
  private settingsSeen = false;

  /** A header block in progress: its stream (0: none), what its HEADERS said, and the fragments so far. */
  private blockStream = 0;
  private blockEndStream = false;
  private blockSelfDependent = false;
  private blockFragments: Buffer[] = [];
  private blockBytes = 0;

  private lastStreamId = 0;
  /** Our GOAWAY went out (streams it did not cover are refused), or the client's came in. */
  private goawaySent = false;
  private peerGoaway = false;
  private closed = false;
  private flushQueued = false;
  private endAfterFlush = false;

  private recvWindow = CONNECTION_WINDOW;
  private sendWindow = DEFAULT_WINDOW_SIZE;
  private peerInitialWindow = DEFAULT_WINDOW_SIZE;
  private peerMaxFrameSize = DEFAULT_MAX_FRAME_SIZE;
  /** The dynamic table size the peer's decoder holds us to; once it asks for less, our next block says 0. */
  private peerTableSize = DEFAULT_HEADER_TABLE_SIZE;
  private tableSizeUpdateDue = false;

  constructor(
    private readonly socket: Duplex,
    private readonly options: Http2ConnectionOptions,
  ) {
    socket.on('data', this.onData);
    // The client's FIN: with half-open sockets off ours ends too, so nothing more can be answered.
    socket.on('end', this.abandon);
    socket.on('close', () => {
      this.abandon();
      options.onClose(this);
    });
    socket.on('error', () => socket.destroy());
    this.out.settings(OUR_SETTINGS);
    this.out.windowUpdate(0, CONNECTION_WINDOW - DEFAULT_WINDOW_SIZE);
    this.queueFlush();
  }

  /** Graceful close: GOAWAY naming the last stream we will serve; the socket ends once those are answered. */
  shutdown(): void {
    if (this.closed || this.goawaySent) return;
    this.goawaySent = true;
    this.out.goaway(this.lastStreamId, ErrorCode.NO_ERROR, '');
    this.endWhenIdle();
    this.queueFlush();
  }

  destroy(): void {
    this.socket.destroy();
  }

  flush(): void {
    this.flushQueued = false;
    if (this.closed) return;
    this.out.flush(this.socket);
    if (this.endAfterFlush) {
      this.closed = true;
      this.socket.end();
    } else if (this.socket.writableLength > WRITE_BACKLOG_BYTES && !this.socket.isPaused()) {
      this.socket.pause();
      this.socket.once('drain', () => this.socket.resume());
    }
  }

  respond(stream: Http2Stream, head: Buffer, data: Buffer | null, trailers: Buffer | null): void {
    if (stream.closed || stream.answered || this.closed) return;
    stream.answered = true;
    const body = data !== null && data.length > 0 ? data : null;
    this.writeHeaders(stream.id, head, body === null && trailers === null);
    if (body === null) {
      if (trailers !== null) this.writeHeaders(stream.id, trailers, true);
      this.closeStream(stream);
    } else {
      stream.unsent = body;
      stream.unsentOffset = 0;
      stream.unsentTrailers = trailers;
      if (this.sendData(stream)) this.closeStream(stream);
      else this.blocked.push(stream);
    }
    this.queueFlush();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed) return;
    try {
      this.read(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    if (!this.out.empty) this.queueFlush();
  };

  private readonly abandon = (): void => {
    this.closed = true;
    for (const stream of this.streams.values()) stream.close();
    this.streams.clear();
    this.blocked = [];
  };

  private read(chunk: Buffer): void {
    let offset = 0;
    if (this.heldBytes > 0) {
      offset = this.completeHeld(chunk);
      if (offset < 0) return;
    }
    offset = this.consume(chunk, offset);
    if (!this.closed && offset < chunk.length) {
      this.held.push(chunk.subarray(offset));
      this.heldBytes = chunk.length - offset;
    }
  }

  /** Adds a read to the held bytes; once they make up a whole unit (preface or frame) it is consumed. */
  private completeHeld(chunk: Buffer): number {
    let used = 0;
    const headBytes = this.prefaceDone ? FRAME_HEADER_BYTES : CLIENT_PREFACE.length;
    if (this.heldBytes < headBytes) {
      used = Math.min(headBytes - this.heldBytes, chunk.length);
      this.held.push(chunk.subarray(0, used));
      this.heldBytes += used;
      const head = Buffer.concat(this.held, this.heldBytes);
      this.held = [head];
      if (!this.prefaceDone) checkPrefacePrefix(head, 0, head.length);
      if (this.heldBytes < headBytes) return -1;
    }
    const unitBytes = this.prefaceDone ? FRAME_HEADER_BYTES + frameLength(this.held[0], 0) : CLIENT_PREFACE.length;
    const missing = unitBytes - this.heldBytes;
    if (chunk.length - used < missing) {
      if (used < chunk.length) this.held.push(chunk.subarray(used));
      this.heldBytes += chunk.length - used;
      return -1;
    }
    this.held.push(chunk.subarray(used, used + missing));
    const unit = Buffer.concat(this.held, unitBytes);
    this.held = [];
    this.heldBytes = 0;
    this.consume(unit, 0);
    return used + missing;
  }

  /** Consumes every complete unit in buf from offset; returns where the first incomplete one starts. */
  private consume(buf: Buffer, offset: number): number {
    while (!this.closed) {
      const available = buf.length - offset;
      if (!this.prefaceDone) {
        checkPrefacePrefix(buf, offset, offset + Math.min(available, CLIENT_PREFACE.length));
        if (available < CLIENT_PREFACE.length) break;
        this.prefaceDone = true;
        offset += CLIENT_PREFACE.length;
        continue;
      }
      if (available < FRAME_HEADER_BYTES) break;
      const length = frameLength(buf, offset);
      if (available < FRAME_HEADER_BYTES + length) break;
      const start = offset + FRAME_HEADER_BYTES;
      this.frame(buf, buf[offset + 3], buf[offset + 4], buf.readUInt32BE(offset + 5) & 0x7fffffff, start, start + length);
      offset = start + length;
    }
    return offset;
  }

  private frame(buf: Buffer, type: number, flags: number, id: number, start: number, end: number): void {
    if (this.blockStream !== 0 && type !== FrameType.CONTINUATION) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'header block interrupted');
    if (!this.settingsSeen && (type !== FrameType.SETTINGS || flags & Flag.ACK)) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'the preface must be followed by SETTINGS');
    switch (type) {
      case FrameType.DATA:
        return this.data(buf, flags, id, start, end);
      case FrameType.HEADERS:
        return this.headers(buf, flags, id, start, end);
      case FrameType.CONTINUATION:
        return this.continuation(buf, flags, id, start, end);
      case FrameType.WINDOW_UPDATE:
        return this.windowUpdate(buf, id, start, end);
      case FrameType.SETTINGS:
        return this.settings(buf, flags, id, start, end);
      case FrameType.PING:
        return this.ping(buf, flags, id, start, end);
      case FrameType.RST_STREAM:
        return this.rstStream(buf, id, start, end);
      case FrameType.PRIORITY:
        return this.priority(buf, id, start, end);
      case FrameType.GOAWAY:
        return this.goaway(id, start, end);
      case FrameType.PUSH_PROMISE:
        throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
      default:
      // RFC 9113 section 4.1: frames of unknown type are ignored.
    }
  }

  private data(buf: Buffer, flags: number, id: number, start: number, end: number): void {
    if (id === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'DATA on stream 0');
    let payloadStart = start;
    let payloadEnd = end;
    if (flags & Flag.PADDED) {
      if (start === end) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'DATA too short for its padding length');
      if (buf[start] >= end - start) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'DATA padding exceeds the frame');
      payloadStart++;
      payloadEnd -= buf[start];
    }
    // The whole frame, padding included, counts against both windows (RFC 9113 section 6.9.1). What arrives is
    // taken in at once and credited back at half a window, so we can accept any frame and refuse none with
    // FLOW_CONTROL_ERROR (which RFC 9113 allows only for a frame the receiver cannot accept).
    const size = end - start;
    this.recvWindow -= size;
    if (this.recvWindow <= CONNECTION_WINDOW / 2) {
      this.out.windowUpdate(0, CONNECTION_WINDOW - this.recvWindow);
      this.recvWindow = CONNECTION_WINDOW;
    }
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (this.idle(id)) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      return;
    }
    if (!stream.receiving) return this.resetStream(stream, ErrorCode.STREAM_CLOSED);
    stream.recvWindow -= size;
    stream.append(buf, payloadStart, payloadEnd, this.options.maxBodyBytes);
    if (flags & Flag.END_STREAM) {
      this.endOfRequest(stream);
    } else if (stream.recvWindow <= STREAM_WINDOW / 2) {
      this.out.windowUpdate(id, STREAM_WINDOW - stream.recvWindow);
      stream.recvWindow = STREAM_WINDOW;
    }
  }

  private headers(buf: Buffer, flags: number, id: number, start: number, end: number): void {
    if (id === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'HEADERS on stream 0');
    let fragmentStart = start;
    let padding = 0;
    if (flags & Flag.PADDED) {
      if (start === end) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'HEADERS too short for its padding length');
      padding = buf[fragmentStart++];
    }
    let selfDependent = false;
    if (flags & Flag.PRIORITY) {
      if (end - fragmentStart < 5) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'HEADERS too short for its priority');
      selfDependent = (buf.readUInt32BE(fragmentStart) & 0x7fffffff) === id;
      fragmentStart += 5;
    }
    if (padding > end - fragmentStart) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'HEADERS padding exceeds the frame');
    const fragmentEnd = end - padding;
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (flags & Flag.END_HEADERS) {
      this.headerBlock(id, endStream, selfDependent, buf, fragmentStart, fragmentEnd);
      return;
    }
    this.blockStream = id;
    this.blockEndStream = endStream;
    this.blockSelfDependent = selfDependent;
    this.blockFragments = [buf.subarray(fragmentStart, fragmentEnd)];
    this.blockBytes = fragmentEnd - fragmentStart;
  }

  private continuation(buf: Buffer, flags: number, id: number, start: number, end: number): void {
    if (this.blockStream === 0 || id !== this.blockStream) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'CONTINUATION without a header block in progress');
    this.blockBytes += end - start;
    if (this.blockBytes > MAX_HEADER_BLOCK_BYTES) throw new ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, 'header block too large');
    this.blockFragments.push(buf.subarray(start, end));
    if ((flags & Flag.END_HEADERS) === 0) return;
    const block = Buffer.concat(this.blockFragments, this.blockBytes);
    this.blockStream = 0;
    this.blockFragments = [];
    this.headerBlock(id, this.blockEndStream, this.blockSelfDependent, block, 0, block.length);
  }

  /** A complete header block: a new request, or the trailers that end one. */
  private headerBlock(id: number, endStream: boolean, selfDependent: boolean, block: Buffer, start: number, end: number): void {
    // Decoded whatever becomes of the stream: the peer's encoder has already applied the block to its table.
    try {
      this.decoder.decode(block, start, end, this.fields);
    } catch (err) {
      if (err instanceof HpackError) throw new ConnectionError(ErrorCode.COMPRESSION_ERROR, err.message);
      throw err;
    }
    const existing = this.streams.get(id);
    if (existing !== undefined) {
      if (!existing.receiving) return this.resetStream(existing, ErrorCode.STREAM_CLOSED);
      // Trailers: they must end the stream (RFC 9113 section 8.1); a unary request has no use for their fields.
      if (!endStream) return this.resetStream(existing, ErrorCode.PROTOCOL_ERROR);
      return this.endOfRequest(existing);
    }
    if ((id & 1) === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `HEADERS on server stream ${id}`);
    // A stream that is over (answered, reset, refused) may still see frames the client sent before it knew.
    if (id <= this.lastStreamId) return;
    this.lastStreamId = id;
    if (this.goawaySent || this.peerGoaway || this.streams.size >= MAX_CONCURRENT_STREAMS) return this.out.rstStream(id, ErrorCode.REFUSED_STREAM);
    if (selfDependent) return this.out.rstStream(id, ErrorCode.PROTOCOL_ERROR);
    if (this.fields.tooLarge) {
      this.writeHeaders(id, HEADER_FIELDS_TOO_LARGE, true);
      if (!endStream) this.out.rstStream(id, ErrorCode.NO_ERROR);
      return;
    }
    const headers = requestHeaders(this.fields);
    const contentLength = headers === null ? -1 : declaredLength(headers['content-length']);
    if (headers === null || contentLength === -2) return this.out.rstStream(id, ErrorCode.PROTOCOL_ERROR);
    const stream = new Http2Stream(id, headers, contentLength, this.peerInitialWindow, STREAM_WINDOW, this);
    this.streams.set(id, stream);
    if (endStream) this.endOfRequest(stream);
  }

  private endOfRequest(stream: Http2Stream): void {
    stream.endBody();
    if (stream.contentLength >= 0 && stream.contentLength !== stream.bodyBytes) return this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
    try {
      this.options.onRequest(stream);
    } catch {
      if (!stream.closed) this.resetStream(stream, ErrorCode.INTERNAL_ERROR);
    }
  }

  private settings(buf: Buffer, flags: number, id: number, start: number, end: number): void {
    if (id !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (flags & Flag.ACK) {
      if (end !== start) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS acknowledgement with a payload');
      return;
    }
    if ((end - start) % 6 !== 0) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS length not a multiple of 6');
    let windowGrew = false;
    for (let p = start; p < end; p += 6) {
      const value = buf.readUInt32BE(p + 2);
      switch (buf.readUInt16BE(p)) {
        case Setting.HEADER_TABLE_SIZE:
          if (value < this.peerTableSize) this.tableSizeUpdateDue = true;
          break;
        case Setting.ENABLE_PUSH:
          if (value > 1) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS_ENABLE_PUSH not 0 or 1');
          break;
        case Setting.INITIAL_WINDOW_SIZE:
          if (value > MAX_WINDOW_SIZE) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'SETTINGS_INITIAL_WINDOW_SIZE above 2^31 - 1');
          windowGrew = this.changeInitialWindow(value) || windowGrew;
          break;
        case Setting.MAX_FRAME_SIZE:
          if (value < DEFAULT_MAX_FRAME_SIZE || value > 0xffffff) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS_MAX_FRAME_SIZE out of range');
          this.peerMaxFrameSize = value;
          break;
        default:
        // Settings we do not know, and those that only bound what we never send, are ignored.
      }
    }
    this.settingsSeen = true;
    this.out.settingsAck();
    if (windowGrew) this.sendBlocked();
  }

  /** RFC 9113 section 6.9.2: a new initial window moves every open stream's send window by the difference. */
  private changeInitialWindow(value: number): boolean {
    const delta = value - this.peerInitialWindow;
    this.peerInitialWindow = value;
    for (const stream of this.streams.values()) {
      stream.sendWindow += delta;
      if (stream.sendWindow > MAX_WINDOW_SIZE) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'a stream window went past 2^31 - 1');
    }
    return delta > 0;
  }

  private windowUpdate(buf: Buffer, id: number, start: number, end: number): void {
    if (end - start !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'WINDOW_UPDATE length not 4');
    const increment = buf.readUInt32BE(start) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'connection WINDOW_UPDATE of 0');
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW_SIZE) throw new ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'connection window past 2^31 - 1');
      this.sendBlocked();
      return;
    }
    const stream = this.streams.get(id);
    if (stream === undefined) {
      if (this.idle(id)) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `WINDOW_UPDATE on idle stream ${id}`);
      return;
    }
    if (increment === 0) return this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
    stream.sendWindow += increment;
    if (stream.sendWindow > MAX_WINDOW_SIZE) return this.resetStream(stream, ErrorCode.FLOW_CONTROL_ERROR);
    if (stream.unsent !== null) this.sendBlocked();
  }

  private ping(buf: Buffer, flags: number, id: number, start: number, end: number): void {
    if (end - start !== 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'PING length not 8');
    if (id !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'PING on a stream');
    if ((flags & Flag.ACK) === 0) this.out.pingAck(buf, start);
  }

  private rstStream(buf: Buffer, id: number, start: number, end: number): void {
    if (end - start !== 4) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'RST_STREAM length not 4');
    if (id === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'RST_STREAM on stream 0');
    const stream = this.streams.get(id);
    if (stream !== undefined) this.closeStream(stream);
    else if (this.idle(id)) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, `RST_STREAM on idle stream ${id} (code ${buf.readUInt32BE(start)})`);
  }

  /** Priority signals are deprecated (RFC 9113 section 5.3.2) and ignored; only their framing is checked. */
  private priority(buf: Buffer, id: number, start: number, end: number): void {
    if (id === 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'PRIORITY on stream 0');
    const stream = this.streams.get(id);
    if (stream === undefined) return;
    if (end - start !== 5) return this.resetStream(stream, ErrorCode.FRAME_SIZE_ERROR);
    if ((buf.readUInt32BE(start) & 0x7fffffff) === id) this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
  }

  /** The client is leaving: nothing new will come; the socket ends once the streams it has open are answered. */
  private goaway(id: number, start: number, end: number): void {
    if (id !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'GOAWAY on a stream');
    if (end - start < 8) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'GOAWAY shorter than 8');
    this.peerGoaway = true;
    this.endWhenIdle();
  }

  /** Sends what the windows allow of the stream's unsent DATA, then its trailers; true when all is sent. */
  private sendData(stream: Http2Stream): boolean {
    const data = stream.unsent as Buffer;
    const trailers = stream.unsentTrailers;
    let offset = stream.unsentOffset;
    while (offset < data.length) {
      const length = Math.min(data.length - offset, this.sendWindow, stream.sendWindow, this.peerMaxFrameSize);
      if (length <= 0) break;
      const last = offset + length === data.length;
      this.out.data(stream.id, data, offset, offset + length, last && trailers === null);
      offset += length;
      this.sendWindow -= length;
      stream.sendWindow -= length;
    }
    stream.unsentOffset = offset;
    if (offset < data.length) return false;
    stream.unsent = null;
    if (trailers !== null) this.writeHeaders(stream.id, trailers, true);
    return true;
  }

  private sendBlocked(): void {
    if (this.blocked.length === 0) return;
    let kept = 0;
    for (const stream of this.blocked) {
      if (this.sendWindow > 0 && stream.sendWindow > 0 && this.sendData(stream)) this.closeStream(stream);
      else this.blocked[kept++] = stream;
    }
    this.blocked.length = kept;
    this.queueFlush();
  }

  private writeHeaders(id: number, block: Buffer, endStream: boolean): void {
    const sizeUpdate = this.tableSizeUpdateDue;
    if (sizeUpdate) {
      this.tableSizeUpdateDue = false;
      this.peerTableSize = 0;
    }
    this.out.headers(id, block, endStream, this.peerMaxFrameSize, sizeUpdate);
  }

  /** A stream error (RFC 9113 section 5.4.2): RST_STREAM, and the stream is gone. */
  private resetStream(stream: Http2Stream, code: ErrorCodeValue): void {
    this.out.rstStream(stream.id, code);
    this.closeStream(stream);
  }

  /** The stream is over: answered in full (the client ended its side before it was handed over), or reset. */
  private closeStream(stream: Http2Stream): void {
    const blockedAt = stream.unsent === null ? -1 : this.blocked.indexOf(stream);
    if (blockedAt >= 0) this.blocked.splice(blockedAt, 1);
    stream.close();
    this.streams.delete(stream.id);
    this.endWhenIdle();
  }

  private endWhenIdle(): void {
    if ((this.goawaySent || this.peerGoaway) && this.streams.size === 0 && !this.endAfterFlush) {
      this.endAfterFlush = true;
      this.queueFlush();
    }
  }

  /** Ids the client has not opened yet, and every even id (those are ours to open, and we open none). */
  private idle(id: number): boolean {
    return (id & 1) === 0 || id > this.lastStreamId;
  }

  /** A connection error (RFC 9113 section 5.4.1): GOAWAY with its code, then the socket ends. */
  private fail(err: unknown): void {
    const code = err instanceof ConnectionError ? err.code : ErrorCode.INTERNAL_ERROR;
    const reason = err instanceof ConnectionError ? err.message : 'internal error';
    this.out.goaway(this.lastStreamId, code, reason);
    this.out.flush(this.socket);
    this.abandon();
    this.socket.end(() => this.socket.destroy());
  }

  private queueFlush(): void {
    if (this.flushQueued || this.closed) return;
    this.flushQueued = true;
    this.options.scheduler.schedule(this);
  }
}

/** A frame's payload length from its header; frames larger than we allow end the connection. */
function frameLength(buf: Buffer, offset: number): number {
  const length = (buf[offset] << 16) | (buf[offset + 1] << 8) | buf[offset + 2];
  if (length > DEFAULT_MAX_FRAME_SIZE) throw new ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} octets, above SETTINGS_MAX_FRAME_SIZE`);
  return length;
}

/** Refuses a connection as soon as its first octets cannot be the client preface (an HTTP/1.1 request, say). */
function checkPrefacePrefix(buf: Buffer, start: number, end: number): void {
  if (buf.compare(CLIENT_PREFACE, 0, end - start, start, end) !== 0) throw new ConnectionError(ErrorCode.PROTOCOL_ERROR, 'not the HTTP/2 client preface');
}

/** content-length as a number: -1 when absent, -2 when it is not one non-negative integer (a malformed request). */
function declaredLength(value: string | string[] | undefined): number {
  if (value === undefined) return -1;
  if (typeof value !== 'string' || value.length === 0 || value.length > 15) return -2;
  let length = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -2;
    length = length * 10 + digit;
  }
  return length;
}
