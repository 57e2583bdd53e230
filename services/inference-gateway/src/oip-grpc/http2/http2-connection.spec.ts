import { Duplex } from 'node:stream';
import { FlushScheduler } from '../../transport/flush-scheduler';
import { CLIENT_PREFACE, ErrorCode, Flag, FrameType, Setting } from './frames';
import { HeaderList, HpackDecoder } from './hpack-decoder';
import { encodeHeaderBlock } from './hpack-encoder';
import { CONNECTION_WINDOW, Http2Connection, MAX_CONCURRENT_STREAMS, STREAM_WINDOW, WRITE_BACKLOG_BYTES } from './http2-connection';
import type { Http2Request } from './http2-stream';

/** A socket that records each write the connection makes (a corked series counts as one); it can be made to stall. */
class FakeSocket extends Duplex {
  readonly writes: Buffer[] = [];
  ended = false;
  stalled: (() => void) | null = null;
  stall = false;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.writes.push(chunk);
    if (this.stall) this.stalled = done;
    else done();
  }

  override _writev(chunks: { chunk: Buffer }[], done: () => void): void {
    this._write(Buffer.concat(chunks.map(({ chunk }) => chunk)), 'latin1', done);
  }

  override _read(): void {}

  override _final(done: () => void): void {
    this.ended = true;
    done();
  }
}

interface Frame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

function frame(type: number, flags: number, id: number, payload: Buffer | number[] = []): Buffer {
  const body = Buffer.from(payload);
  const head = Buffer.alloc(9);
  head.writeUIntBE(body.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(id, 5);
  return Buffer.concat([head, body]);
}

function settings(entries: [number, number][] = []): Buffer {
  const payload = Buffer.alloc(6 * entries.length);
  entries.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, 6 * i);
    payload.writeUInt32BE(value, 6 * i + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

const u32 = (value: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
};
const windowUpdate = (id: number, increment: number) => frame(FrameType.WINDOW_UPDATE, 0, id, u32(increment));
const rst = (id: number, code: number) => frame(FrameType.RST_STREAM, 0, id, u32(code));
const dataFrame = (id: number, payload: Buffer | number[], endStream = true) => frame(FrameType.DATA, endStream ? Flag.END_STREAM : 0, id, payload);

const REQUEST: [string, string][] = [
  [':method', 'POST'],
  [':scheme', 'http'],
  [':path', '/pkg.Service/Method'],
  [':authority', 'localhost'],
  ['content-type', 'application/grpc'],
  ['te', 'trailers'],
];
const requestBlock = (extra: [string, string][] = []) => encodeHeaderBlock([...REQUEST, ...extra]);
const headersFrame = (id: number, endStream = false, block = requestBlock()) => frame(FrameType.HEADERS, Flag.END_HEADERS | (endStream ? Flag.END_STREAM : 0), id, block);

const HEAD = encodeHeaderBlock([
  [':status', '200'],
  ['content-type', 'application/grpc+proto'],
]);
const TRAILERS = encodeHeaderBlock([['grpc-status', '0']]);

const turn = () => new Promise((resolve) => setImmediate(resolve));

const CANCEL = 0x8;

interface Options {
  maxBodyBytes?: number;
  onRequest?: (request: Http2Request) => void;
  clientSettings?: [number, number][];
  /** Leaves the preface and SETTINGS to the test. */
  noPreface?: boolean;
}

/** A connection on a fake socket, its client half already past the preface and SETTINGS. */
function connect(options: Options = {}) {
  const socket = new FakeSocket();
  const requests: Http2Request[] = [];
  const onRequest = options.onRequest ?? ((request: Http2Request) => requests.push(request));
  let closed = 0;
  const connection = new Http2Connection(socket, { onRequest, maxBodyBytes: options.maxBodyBytes ?? 1 << 20, scheduler: new FlushScheduler(), onClose: () => closed++ });
  const client = new HpackDecoder(4096, 1 << 20);
  let seen = 0;
  const send = (...chunks: Buffer[]) => socket.emit('data', Buffer.concat(chunks));
  /** The frames written since the last call, once the turn's flush has happened. */
  const received = async (): Promise<Frame[]> => {
    await turn();
    await turn();
    const bytes = Buffer.concat(socket.writes.slice(seen));
    seen = socket.writes.length;
    const frames: Frame[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      const length = bytes.readUIntBE(offset, 3);
      frames.push({ type: bytes[offset + 3], flags: bytes[offset + 4], id: bytes.readUInt32BE(offset + 5), payload: bytes.subarray(offset + 9, offset + 9 + length) });
      offset += 9 + length;
    }
    return frames;
  };
  const fields = (block: Buffer): [string, string][] => {
    const list = new HeaderList();
    client.decode(block, 0, block.length, list);
    return list.names.slice(0, list.length).map((name, i) => [name, list.values[i]]);
  };
  if (!options.noPreface) send(CLIENT_PREFACE, settings(options.clientSettings));
  return { socket, connection, requests, send, received, fields, closedCount: () => closed };
}

/** Frames as [type, flags, stream, payload length], the shape most assertions need. */
const shape = (frames: Frame[]) => frames.map((f) => [f.type, f.flags, f.id, f.payload.length]);
const goawayCode = (frames: Frame[]) => {
  const goaway = frames.find((f) => f.type === FrameType.GOAWAY);
  return goaway ? goaway.payload.readUInt32BE(4) : undefined;
};
const rstCodes = (frames: Frame[]) => frames.filter((f) => f.type === FrameType.RST_STREAM).map((f) => [f.id, f.payload.readUInt32BE(0)]);

describe('HTTP/2 server connection', () => {
  describe('start', () => {
    it('sends its SETTINGS and a connection WINDOW_UPDATE first, then acknowledges the client SETTINGS', async () => {
      const c = connect();
      const frames = await c.received();
      expect(shape(frames)).toEqual([
        [FrameType.SETTINGS, 0, 0, 18],
        [FrameType.WINDOW_UPDATE, 0, 0, 4],
        [FrameType.SETTINGS, Flag.ACK, 0, 0],
      ]);
      const ours = frames[0].payload;
      const entries = [0, 6, 12].map((at) => [ours.readUInt16BE(at), ours.readUInt32BE(at + 2)]);
      expect(entries).toEqual([
        [Setting.MAX_CONCURRENT_STREAMS, MAX_CONCURRENT_STREAMS],
        [Setting.INITIAL_WINDOW_SIZE, STREAM_WINDOW],
        [Setting.MAX_HEADER_LIST_SIZE, 65536],
      ]);
      expect(frames[1].payload.readUInt32BE(0)).toBe(CONNECTION_WINDOW - 65535);
    });

    it('refuses a connection that does not open with the client preface, as soon as its first octets differ', async () => {
      const c = connect({ noPreface: true });
      c.send(Buffer.from('GET / HTTP/1.1\r\n'));
      expect(goawayCode(await c.received())).toBe(ErrorCode.PROTOCOL_ERROR);
      expect(c.socket.ended).toBe(true);
    });

    it('takes a preface that arrives an octet at a time', async () => {
      const c = connect({ noPreface: true });
      for (const octet of Buffer.concat([CLIENT_PREFACE, settings(), headersFrame(1, true)])) c.send(Buffer.of(octet));
      expect(goawayCode(await c.received())).toBeUndefined();
      expect(c.requests).toHaveLength(1);
    });

    it('refuses a first frame other than SETTINGS', async () => {
      const c = connect({ noPreface: true });
      c.send(CLIENT_PREFACE, frame(FrameType.PING, 0, 0, Buffer.alloc(8)));
      expect(goawayCode(await c.received())).toBe(ErrorCode.PROTOCOL_ERROR);
    });
  });

  describe('requests and answers', () => {
    it('hands over a request with its headers and body, and writes the whole answer in one socket write', async () => {
      const c = connect({ onRequest: (request) => request.respond(HEAD, Buffer.from('hello'), TRAILERS) });
      await c.received();
      const writes = c.socket.writes.length;
      c.send(headersFrame(1), dataFrame(1, Buffer.from('ping')));
      const frames = await c.received();
      expect(c.socket.writes.length).toBe(writes + 1);
      expect(shape(frames)).toEqual([
        [FrameType.HEADERS, Flag.END_HEADERS, 1, HEAD.length],
        [FrameType.DATA, 0, 1, 5],
        [FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, TRAILERS.length],
      ]);
      expect(c.fields(frames[0].payload)).toEqual([
        [':status', '200'],
        ['content-type', 'application/grpc+proto'],
      ]);
      expect(frames[1].payload.toString()).toBe('hello');
      expect(c.fields(frames[2].payload)).toEqual([['grpc-status', '0']]);
    });

    it('coalesces the answers given in one event-loop turn, sync or in promise jobs, into one write', async () => {
      const c = connect({ onRequest: (request) => void Promise.resolve().then(() => request.respond(HEAD, null, null)) });
      await c.received();
      const writes = c.socket.writes.length;
      c.send(headersFrame(1, true), headersFrame(3, true), headersFrame(5, true));
      const frames = await c.received();
      expect(c.socket.writes.length).toBe(writes + 1);
      expect(shape(frames)).toEqual([1, 3, 5].map((id) => [FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, HEAD.length]));
    });

    it('gives the request headers as an object with the pseudo-headers, and repeated names as arrays', async () => {
      const c = connect();
      c.send(headersFrame(1, true, requestBlock([['x-id', 'a'], ['x-id', 'b']])));
      await c.received();
      expect(c.requests[0].headers).toEqual(Object.assign(Object.create(null), Object.fromEntries(REQUEST), { 'x-id': ['a', 'b'] }));
      expect(c.requests[0].body.length).toBe(0);
    });

    it('reads padded HEADERS with priority, CONTINUATION, padded DATA and trailers alike, however the bytes are split', async () => {
      const block = requestBlock([['x-long', 'v'.repeat(200)]]);
      const headers = Buffer.concat([Buffer.of(7), u32(0), Buffer.of(15), block.subarray(0, 50), Buffer.alloc(7)]);
      const stream = Buffer.concat([
        frame(FrameType.HEADERS, Flag.PADDED | Flag.PRIORITY, 1, headers),
        frame(FrameType.CONTINUATION, 0, 1, block.subarray(50, 120)),
        frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(120)),
        frame(FrameType.DATA, Flag.PADDED, 1, Buffer.concat([Buffer.of(3), Buffer.from('abc'), Buffer.alloc(3)])),
        frame(FrameType.PRIORITY, 0, 3, [0, 0, 0, 1, 16]),
        frame(0xfa, 0xff, 1, Buffer.from('an unknown frame type')),
        dataFrame(1, Buffer.from('def'), false),
        frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, encodeHeaderBlock([['x-trailer', '1']])),
      ]);
      const splits = [[stream.length], Array.from({ length: stream.length }, () => 1), [5, 3, 40, 1, 2, 100, 9, 9, 300, 17]];
      for (const sizes of splits) {
        const c = connect();
        let offset = 0;
        for (let i = 0; offset < stream.length; i++) {
          const size = sizes[i % sizes.length];
          c.send(stream.subarray(offset, offset + size));
          offset += size;
        }
        const frames = await c.received();
        expect(goawayCode(frames)).toBeUndefined();
        expect(c.requests).toHaveLength(1);
        expect(c.requests[0].headers['x-long']).toBe('v'.repeat(200));
        expect(c.requests[0].body.toString()).toBe('abcdef');
        expect(c.requests[0].bodyBytes).toBe(6);
      }
    });

    it('answers with HEADERS alone when there is no DATA and no trailers, and ignores a second answer', async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      c.requests[0].respond(HEAD, Buffer.alloc(0), null);
      c.requests[0].respond(HEAD, Buffer.from('again'), TRAILERS);
      expect(shape(await c.received())).toEqual([[FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, HEAD.length]]);
      expect(c.requests[0].closed).toBe(true);
    });

    it('ends the stream with its last DATA frame when there are no trailers', async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      c.requests[0].respond(HEAD, Buffer.from('x'), null);
      expect(shape(await c.received())).toEqual([
        [FrameType.HEADERS, Flag.END_HEADERS, 1, HEAD.length],
        [FrameType.DATA, Flag.END_STREAM, 1, 1],
      ]);
    });

    it('splits a header block larger than the peer frame size into HEADERS and CONTINUATION', async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      const big = encodeHeaderBlock([['grpc-message', 'm'.repeat(40000)]]);
      c.requests[0].respond(big, null, null);
      const frames = await c.received();
      expect(shape(frames)).toEqual([
        [FrameType.HEADERS, Flag.END_STREAM, 1, 16384],
        [FrameType.CONTINUATION, 0, 1, 16384],
        [FrameType.CONTINUATION, Flag.END_HEADERS, 1, big.length - 2 * 16384],
      ]);
      expect(c.fields(Buffer.concat(frames.map((f) => f.payload)))).toEqual([['grpc-message', 'm'.repeat(40000)]]);
    });

    it('starts its next header block with a table size update of 0 once the client lowers SETTINGS_HEADER_TABLE_SIZE', async () => {
      const c = connect({ clientSettings: [[Setting.HEADER_TABLE_SIZE, 0]] });
      c.send(headersFrame(1, true), headersFrame(3, true));
      await c.received();
      c.requests[0].respond(HEAD, null, null);
      c.requests[1].respond(HEAD, null, null);
      const frames = await c.received();
      expect(frames.map((f) => f.payload[0])).toEqual([0x20, HEAD[0]]);
      expect(c.fields(frames[0].payload)).toEqual(c.fields(HEAD));
    });

    it('discards a body past the limit, still counting it, and flags the request', async () => {
      const c = connect({ maxBodyBytes: 10 });
      c.send(headersFrame(1), dataFrame(1, Buffer.alloc(8), false), dataFrame(1, Buffer.alloc(8)));
      await c.received();
      expect([c.requests[0].bodyTooLarge, c.requests[0].bodyBytes, c.requests[0].body.length]).toEqual([true, 16, 0]);
    });

    it('answers PING with the same payload, and not a PING acknowledgement', async () => {
      const c = connect();
      await c.received();
      c.send(frame(FrameType.PING, 0, 0, Buffer.from('12345678')), frame(FrameType.PING, Flag.ACK, 0, Buffer.from('87654321')));
      const frames = await c.received();
      expect(shape(frames)).toEqual([[FrameType.PING, Flag.ACK, 0, 8]]);
      expect(frames[0].payload.toString()).toBe('12345678');
    });

    it('resets a stream whose handler throws, and goes on serving', async () => {
      let calls = 0;
      const c = connect({
        onRequest: (request) => {
          if (calls++ === 0) throw new Error('handler bug');
          request.respond(HEAD, null, null);
        },
      });
      c.send(headersFrame(1, true), headersFrame(3, true));
      const frames = await c.received();
      expect(rstCodes(frames)).toEqual([[1, ErrorCode.INTERNAL_ERROR]]);
      expect(frames.filter((f) => f.type === FrameType.HEADERS).map((f) => f.id)).toEqual([3]);
    });
  });

  describe('streams', () => {
    it('does not answer a stream the client reset, and drops what it held', async () => {
      const c = connect();
      c.send(headersFrame(1, true), headersFrame(3), dataFrame(3, Buffer.from('partial'), false));
      await c.received();
      c.send(rst(1, ErrorCode.NO_ERROR), rst(3, CANCEL));
      expect(c.requests[0].closed).toBe(true);
      c.requests[0].respond(HEAD, Buffer.from('late'), TRAILERS);
      c.send(dataFrame(3, Buffer.from('rest')));
      expect(await c.received()).toEqual([]);
      expect(c.requests).toHaveLength(1);
    });

    it('refuses streams past MAX_CONCURRENT_STREAMS with REFUSED_STREAM, and takes new ones once some close', async () => {
      const c = connect();
      await c.received();
      for (let i = 0; i < MAX_CONCURRENT_STREAMS; i++) c.send(headersFrame(2 * i + 1));
      const over = 2 * MAX_CONCURRENT_STREAMS + 1;
      c.send(headersFrame(over));
      expect(rstCodes(await c.received())).toEqual([[over, ErrorCode.REFUSED_STREAM]]);
      c.send(rst(1, CANCEL), headersFrame(over + 2, true));
      expect(await c.received()).toEqual([]);
      expect(c.requests.map((r) => r.headers[':path'])).toEqual([REQUEST[2][1]]);
    });

    it('resets with STREAM_CLOSED a stream that sends DATA after ending its side', async () => {
      const c = connect();
      c.send(headersFrame(1, true), dataFrame(1, Buffer.from('more')));
      expect(rstCodes(await c.received())).toEqual([[1, ErrorCode.STREAM_CLOSED]]);
      c.requests[0].respond(HEAD, null, null);
      expect(await c.received()).toEqual([]);
    });

    it('resets a malformed request with PROTOCOL_ERROR without handing it over, and goes on', async () => {
      const c = connect();
      c.send(headersFrame(1, true, requestBlock([['X-Upper', '1']])), headersFrame(3, true, encodeHeaderBlock(REQUEST.slice(1))));
      c.send(headersFrame(5, false, requestBlock([['content-length', '3']])), dataFrame(5, Buffer.from('ab')));
      c.send(headersFrame(7, true, requestBlock([['content-length', '1x']])), headersFrame(9, true, requestBlock([['content-length', '0'], ['content-length', '0']])));
      c.send(headersFrame(11, false, requestBlock([['content-length', '2']])), dataFrame(11, Buffer.from('ab')));
      expect(rstCodes(await c.received())).toEqual([
        [1, ErrorCode.PROTOCOL_ERROR],
        [3, ErrorCode.PROTOCOL_ERROR],
        [5, ErrorCode.PROTOCOL_ERROR],
        [7, ErrorCode.PROTOCOL_ERROR],
        [9, ErrorCode.PROTOCOL_ERROR],
      ]);
      expect(c.requests.map((r) => [r.headers[':path'], r.body.toString(), r.closed])).toEqual([[REQUEST[2][1], 'ab', false]]);
    });

    it('answers a header list over 64 KiB with 431, resetting the stream if its body is still coming', async () => {
      const c = connect();
      const big = requestBlock([['x-big', 'b'.repeat(70000)]]);
      c.send(frame(FrameType.HEADERS, 0, 1, big.subarray(0, 16384)));
      for (let offset = 16384; offset < big.length; offset += 16384) {
        c.send(frame(FrameType.CONTINUATION, offset + 16384 >= big.length ? Flag.END_HEADERS : 0, 1, big.subarray(offset, offset + 16384)));
      }
      const frames = (await c.received()).filter((f) => f.id === 1);
      expect(frames.map((f) => f.type)).toEqual([FrameType.HEADERS, FrameType.RST_STREAM]);
      expect(c.fields(frames[0].payload)).toEqual([[':status', '431']]);
      expect(rstCodes(frames)).toEqual([[1, ErrorCode.NO_ERROR]]);
      expect(c.requests).toHaveLength(0);
    });

    it('ignores late frames on a stream that is over, and a new stream id not above the last', async () => {
      const c = connect();
      c.send(headersFrame(3, true));
      await c.received();
      c.requests[0].respond(HEAD, null, null);
      await c.received();
      c.send(dataFrame(3, Buffer.from('late')), windowUpdate(3, 10), rst(3, 0), headersFrame(1, true));
      const frames = await c.received();
      expect(frames).toEqual([]);
      expect(c.requests).toHaveLength(1);
    });
  });

  describe('flow control', () => {
    it('credits what it receives, padding included, in one WINDOW_UPDATE per half window', async () => {
      const c = connect({ maxBodyBytes: 1000 });
      await c.received();
      const padded = (id: number) => frame(FrameType.DATA, Flag.PADDED, id, Buffer.concat([Buffer.of(255), Buffer.alloc(16384 - 256), Buffer.alloc(255)]));
      c.send(headersFrame(1));
      const frames = 512;
      for (let i = 0; i < frames; i++) c.send(padded(1));
      c.send(dataFrame(1, []));
      const updates = (await c.received()).filter((f) => f.type === FrameType.WINDOW_UPDATE).map((f) => [f.id, f.payload.readUInt32BE(0)]);
      const perStream = (frames * 16384) / (STREAM_WINDOW / 2);
      expect(updates.filter(([id]) => id === 1)).toEqual(Array.from({ length: perStream }, () => [1, STREAM_WINDOW / 2]));
      expect(updates.filter(([id]) => id === 0)).toEqual([[0, CONNECTION_WINDOW / 2]]);
      expect([c.requests[0].bodyBytes, c.requests[0].bodyTooLarge]).toEqual([frames * (16384 - 256), true]);
    });

    it("sends DATA within the client's stream and connection windows and resumes on WINDOW_UPDATE", async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      c.requests[0].respond(HEAD, Buffer.alloc(100000, 1), TRAILERS);
      expect(shape(await c.received())).toEqual([
        [FrameType.HEADERS, Flag.END_HEADERS, 1, HEAD.length],
        [FrameType.DATA, 0, 1, 16384],
        [FrameType.DATA, 0, 1, 16384],
        [FrameType.DATA, 0, 1, 16384],
        [FrameType.DATA, 0, 1, 16383],
      ]);
      c.send(windowUpdate(1, 50000));
      expect(await c.received()).toEqual([]);
      c.send(windowUpdate(0, 20000));
      expect(shape(await c.received())).toEqual([
        [FrameType.DATA, 0, 1, 16384],
        [FrameType.DATA, 0, 1, 3616],
      ]);
      c.send(windowUpdate(0, 100000));
      expect(shape(await c.received())).toEqual([
        [FrameType.DATA, 0, 1, 14465],
        [FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, TRAILERS.length],
      ]);
    });

    it('moves open streams by a new SETTINGS_INITIAL_WINDOW_SIZE, and follows SETTINGS_MAX_FRAME_SIZE', async () => {
      const c = connect({ clientSettings: [[Setting.INITIAL_WINDOW_SIZE, 0]] });
      c.send(windowUpdate(0, 1 << 20), headersFrame(1, true));
      await c.received();
      c.requests[0].respond(HEAD, Buffer.alloc(70000), TRAILERS);
      expect(shape(await c.received())).toEqual([[FrameType.HEADERS, Flag.END_HEADERS, 1, HEAD.length]]);
      c.send(settings([[Setting.MAX_FRAME_SIZE, 32768]]), settings([[Setting.INITIAL_WINDOW_SIZE, 60000]]));
      expect(shape(await c.received())).toEqual([
        [FrameType.SETTINGS, Flag.ACK, 0, 0],
        [FrameType.SETTINGS, Flag.ACK, 0, 0],
        [FrameType.DATA, 0, 1, 32768],
        [FrameType.DATA, 0, 1, 27232],
      ]);
      // Lowered below what was sent, the window goes negative: nothing until updates bring it back above 0.
      c.send(settings([[Setting.INITIAL_WINDOW_SIZE, 50000]]), windowUpdate(1, 10000));
      expect(shape(await c.received())).toEqual([[FrameType.SETTINGS, Flag.ACK, 0, 0]]);
      c.send(windowUpdate(1, 20000));
      expect(shape(await c.received())).toEqual([
        [FrameType.DATA, 0, 1, 10000],
        [FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, TRAILERS.length],
      ]);
    });

    it('stops reading while more than the write backlog waits for the socket, and reads again once it drains', async () => {
      const c = connect({ clientSettings: [[Setting.INITIAL_WINDOW_SIZE, 1 << 30]] });
      c.send(windowUpdate(0, 1 << 30), headersFrame(1, true));
      await c.received();
      c.socket.stall = true;
      c.requests[0].respond(HEAD, Buffer.alloc(WRITE_BACKLOG_BYTES + 1), TRAILERS);
      await c.received();
      expect(c.socket.isPaused()).toBe(true);
      c.socket.stall = false;
      c.socket.stalled?.();
      await turn();
      expect(c.socket.isPaused()).toBe(false);
    });

    it('resets a stream whose window goes past 2^31 - 1, and ends the connection when its own does', async () => {
      const c = connect({ clientSettings: [[Setting.INITIAL_WINDOW_SIZE, 0]] });
      c.send(headersFrame(1, true));
      await c.received();
      // Larger than the connection window, so the stream stays open with DATA unsent.
      c.requests[0].respond(HEAD, Buffer.alloc(100000), TRAILERS);
      await c.received();
      c.send(windowUpdate(1, 0x7fffffff), windowUpdate(1, 65535), windowUpdate(1, 1));
      expect(rstCodes(await c.received())).toEqual([[1, ErrorCode.FLOW_CONTROL_ERROR]]);
      c.send(windowUpdate(0, 0x7fffffff));
      expect(goawayCode(await c.received())).toBeUndefined();
      c.send(windowUpdate(0, 1));
      expect(goawayCode(await c.received())).toBe(ErrorCode.FLOW_CONTROL_ERROR);
    });
  });

  describe('connection errors: GOAWAY with the code RFC 9113 names', () => {
    it.each<[string, () => Buffer[], number]>([
      ['a frame larger than SETTINGS_MAX_FRAME_SIZE', () => [dataFrame(1, Buffer.alloc(16385))], ErrorCode.FRAME_SIZE_ERROR],
      ['a header block that does not decode', () => [frame(FrameType.HEADERS, Flag.END_HEADERS, 1, [0x80])], ErrorCode.COMPRESSION_ERROR],
      ['HEADERS on an even (server) stream id', () => [headersFrame(2, true)], ErrorCode.PROTOCOL_ERROR],
      ['DATA on a stream never opened', () => [dataFrame(5, Buffer.from('x'))], ErrorCode.PROTOCOL_ERROR],
      ['DATA on stream 0', () => [dataFrame(0, Buffer.from('x'))], ErrorCode.PROTOCOL_ERROR],
      ['DATA padding as long as the frame', () => [headersFrame(1), frame(FrameType.DATA, Flag.PADDED, 1, [3, 0, 0])], ErrorCode.PROTOCOL_ERROR],
      ['HEADERS padding longer than the block', () => [frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.PADDED, 1, [10, 0x82])], ErrorCode.PROTOCOL_ERROR],
      ['a frame between HEADERS and its CONTINUATION', () => [frame(FrameType.HEADERS, 0, 1, requestBlock().subarray(0, 4)), frame(FrameType.PING, 0, 0, Buffer.alloc(8))], ErrorCode.PROTOCOL_ERROR],
      ['CONTINUATION on another stream', () => [frame(FrameType.HEADERS, 0, 1, requestBlock().subarray(0, 4)), frame(FrameType.CONTINUATION, Flag.END_HEADERS, 3, requestBlock().subarray(4))], ErrorCode.PROTOCOL_ERROR],
      ['CONTINUATION with no header block open', () => [frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, requestBlock())], ErrorCode.PROTOCOL_ERROR],
      ['PUSH_PROMISE from the client', () => [frame(FrameType.PUSH_PROMISE, Flag.END_HEADERS, 1, [0, 0, 0, 2, 0x82])], ErrorCode.PROTOCOL_ERROR],
      ['a SETTINGS length not a multiple of 6', () => [frame(FrameType.SETTINGS, 0, 0, [0, 4, 0, 0, 0])], ErrorCode.FRAME_SIZE_ERROR],
      ['SETTINGS_INITIAL_WINDOW_SIZE above 2^31 - 1', () => [settings([[Setting.INITIAL_WINDOW_SIZE, 0x80000000]])], ErrorCode.FLOW_CONTROL_ERROR],
      ['SETTINGS_MAX_FRAME_SIZE below 16384', () => [settings([[Setting.MAX_FRAME_SIZE, 16383]])], ErrorCode.PROTOCOL_ERROR],
      ['SETTINGS_ENABLE_PUSH of 2', () => [settings([[Setting.ENABLE_PUSH, 2]])], ErrorCode.PROTOCOL_ERROR],
      ['a PING of 7 octets', () => [frame(FrameType.PING, 0, 0, Buffer.alloc(7))], ErrorCode.FRAME_SIZE_ERROR],
      ['a connection WINDOW_UPDATE of 0', () => [windowUpdate(0, 0)], ErrorCode.PROTOCOL_ERROR],
      ['RST_STREAM on a stream never opened', () => [rst(9, 0)], ErrorCode.PROTOCOL_ERROR],
    ])('%s', async (_, frames, code) => {
      const c = connect();
      await c.received();
      c.send(...frames());
      const out = await c.received();
      expect(goawayCode(out)).toBe(code);
      expect(c.socket.ended).toBe(true);
      c.send(headersFrame(11, true));
      expect(await c.received()).toEqual([]);
      expect(c.requests).toHaveLength(0);
    });

    it('names the last stream it took in GOAWAY, and drops the answers of streams in flight', async () => {
      const c = connect();
      c.send(headersFrame(1, true), headersFrame(3, true));
      await c.received();
      c.send(dataFrame(0, Buffer.from('x')));
      const goaway = (await c.received()).find((f) => f.type === FrameType.GOAWAY) as Frame;
      expect(goaway.payload.readUInt32BE(0)).toBe(3);
      c.requests[0].respond(HEAD, null, null);
      expect(await c.received()).toEqual([]);
    });
  });

  describe('closing', () => {
    it('on shutdown sends GOAWAY, refuses newer streams, answers those in flight and then ends the socket', async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      c.connection.shutdown();
      const goaway = await c.received();
      expect(shape(goaway)).toEqual([[FrameType.GOAWAY, 0, 0, 8]]);
      expect([goaway[0].payload.readUInt32BE(0), goaway[0].payload.readUInt32BE(4)]).toEqual([1, ErrorCode.NO_ERROR]);
      c.send(headersFrame(3, true));
      expect(rstCodes(await c.received())).toEqual([[3, ErrorCode.REFUSED_STREAM]]);
      expect(c.socket.ended).toBe(false);
      c.requests[0].respond(HEAD, Buffer.from('x'), TRAILERS);
      expect(shape(await c.received()).map(([type]) => type)).toEqual([FrameType.HEADERS, FrameType.DATA, FrameType.HEADERS]);
      expect(c.socket.ended).toBe(true);
    });

    it('ends an idle connection at once on shutdown, and one the client sent GOAWAY on once it is idle', async () => {
      const idle = connect();
      await idle.received();
      idle.connection.shutdown();
      await idle.received();
      expect(idle.socket.ended).toBe(true);

      const leaving = connect();
      leaving.send(headersFrame(1, true));
      await leaving.received();
      leaving.send(frame(FrameType.GOAWAY, 0, 0, Buffer.alloc(8)));
      await leaving.received();
      expect(leaving.socket.ended).toBe(false);
      leaving.requests[0].respond(HEAD, null, null);
      await leaving.received();
      expect(leaving.socket.ended).toBe(true);
    });

    it('reports its close once the socket is gone, and answers nothing after', async () => {
      const c = connect();
      c.send(headersFrame(1, true));
      await c.received();
      c.socket.destroy();
      await turn();
      expect(c.closedCount()).toBe(1);
      expect(c.requests[0].closed).toBe(true);
    });
  });
});
