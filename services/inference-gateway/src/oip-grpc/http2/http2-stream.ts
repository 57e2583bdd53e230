import type { RequestHeaders } from './request-headers';

/** A request as the transport hands it over, complete (the client ended its stream), to be answered once. */
export interface Http2Request {
  readonly headers: RequestHeaders;
  /** The DATA received, or empty when it went past the body limit. */
  readonly body: Buffer;
  /** DATA octets received (padding not counted), those discarded past the limit included. */
  readonly bodyBytes: number;
  readonly bodyTooLarge: boolean;
  /** The stream is over: its answer all sent, reset by the client, or its connection gone. */
  readonly closed: boolean;
  /**
   * The whole answer: HEADERS with `head`, then `data` in DATA frames as flow control allows, then `trailers` in the
   * HEADERS that ends the stream; with neither, `head` ends it. The blocks are HPACK-encoded (`encodeHeaderBlock`).
   * A second answer, or one to a closed stream, is ignored.
   */
  respond(head: Buffer, data: Buffer | null, trailers: Buffer | null): void;
}

export interface StreamOwner {
  respond(stream: Http2Stream, head: Buffer, data: Buffer | null, trailers: Buffer | null): void;
}

const EMPTY = Buffer.alloc(0);

/** A client-opened stream from its HEADERS until both sides have ended it; its state is the connection's to keep. */
export class Http2Stream implements Http2Request {
  body: Buffer = EMPTY;
  bodyBytes = 0;
  bodyTooLarge = false;
  closed = false;
  /** The client has not ended its side yet. */
  receiving = true;
  answered = false;
  /** What the client may still send before we credit more (our window), and what we may send (its window). */
  recvWindow: number;
  sendWindow: number;
  /** The answer's DATA not yet sent for want of window, and what follows it. */
  unsent: Buffer | null = null;
  unsentOffset = 0;
  unsentTrailers: Buffer | null = null;
  private first: Buffer | null = null;
  private more: Buffer[] | null = null;

  constructor(
    readonly id: number,
    readonly headers: RequestHeaders,
    /** The declared content-length, or -1. */
    readonly contentLength: number,
    sendWindow: number,
    recvWindow: number,
    private readonly owner: StreamOwner,
  ) {
    this.sendWindow = sendWindow;
    this.recvWindow = recvWindow;
  }

  respond(head: Buffer, data: Buffer | null, trailers: Buffer | null): void {
    this.owner.respond(this, head, data, trailers);
  }

  /** Keeps data[start, end) of a DATA frame, without copying, unless the body is already past `limit`. */
  append(data: Buffer, start: number, end: number, limit: number): void {
    this.bodyBytes += end - start;
    if (this.bodyTooLarge) return;
    if (this.bodyBytes > limit) {
      this.bodyTooLarge = true;
      this.first = null;
      this.more = null;
      return;
    }
    const chunk = data.subarray(start, end);
    if (this.first === null) this.first = chunk;
    else if (this.more === null) this.more = [this.first, chunk];
    else this.more.push(chunk);
  }

  /** The client ended its side: the body is what arrived. */
  endBody(): void {
    this.receiving = false;
    if (this.more !== null) this.body = Buffer.concat(this.more, this.bodyBytes);
    else if (this.first !== null) this.body = this.first;
    this.first = null;
    this.more = null;
  }

  /** Drops what the stream holds once nothing more will be sent on it. */
  close(): void {
    this.closed = true;
    this.receiving = false;
    this.unsent = null;
    this.unsentTrailers = null;
    this.first = null;
    this.more = null;
  }
}
