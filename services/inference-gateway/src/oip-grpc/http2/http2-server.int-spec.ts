import * as grpc from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { ClientHttp2Session, ClientHttp2Stream, connect, constants } from 'node:http2';
import { encodeHeaderBlock } from './hpack-encoder';
import { Http2Server } from './http2-server';
import type { Http2Request } from './http2-stream';
import { RawGrpcAnswer, rawGrpcCall } from '../../testing/raw-grpc-call';

// The transport alone, against stock clients: grpc-js (node:http2 underneath) and node:http2 itself. The test
// service echoes the request body as its one gRPC message, or holds the call until the test answers it.

const ECHO = '/test.Echo/Echo';
const HOLD = '/test.Echo/Hold';
const HEAD = encodeHeaderBlock([
  [':status', '200'],
  ['content-type', 'application/grpc+proto'],
]);
const OK = encodeHeaderBlock([
  ['grpc-status', '0'],
  ['grpc-message', 'OK'],
]);

function grpcFrame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** The call's answer; a stream the server reset rejects. */
function request(session: ClientHttp2Session, path: string, body: Buffer): { stream: ClientHttp2Stream; answer: Promise<RawGrpcAnswer> } {
  const call = rawGrpcCall(session, path, body);
  const answer = call.answer.then((a) => (a.rstCode === constants.NGHTTP2_NO_ERROR ? a : Promise.reject(new Error(`reset ${a.rstCode}`))));
  return { stream: call.stream, answer };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('HTTP/2 transport against stock clients', () => {
  let server: Http2Server;
  let port: number;
  const held: Http2Request[] = [];
  let delivered = 0;

  const serve = (req: Http2Request) => {
    delivered++;
    if (req.headers[':path'] === HOLD) held.push(req);
    else req.respond(HEAD, req.body, OK);
  };

  beforeEach(async () => {
    held.length = 0;
    delivered = 0;
    server = new Http2Server({ maxBodyBytes: 64 * 1024 * 1024, onRequest: serve });
    port = await server.listen('127.0.0.1', 0);
  });

  afterEach(async () => {
    await server.close(100);
  });

  const grpcClient = () =>
    new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 });
  const grpcCall = (client: grpc.Client, path: string, message: Buffer) =>
    new Promise<Buffer>((resolve, reject) =>
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        message,
        (err, response) => (err ? reject(err) : resolve(response as Buffer)),
      ),
    );

  it('answers 2000 concurrent grpc-js calls on one channel, past the 1000 streams it allows at once', async () => {
    const client = grpcClient();
    try {
      const messages = Array.from({ length: 2000 }, (_, i) => Buffer.from(`message ${i} ${'x'.repeat(i % 300)}`));
      const answers = await Promise.all(messages.map((message) => grpcCall(client, ECHO, message)));
      expect(answers.every((answer, i) => answer.equals(messages[i]))).toBe(true);
    } finally {
      client.close();
    }
  });

  it('answers 500 concurrent node:http2 requests on one session, headers and trailers intact', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const bodies = Array.from({ length: 500 }, (_, i) => grpcFrame(randomBytes(i * 7)));
      const answers = await Promise.all(bodies.map((body) => request(session, ECHO, body).answer));
      answers.forEach((answer, i) => {
        expect(answer.body.equals(bodies[i])).toBe(true);
        expect([answer.headers[':status'], answer.headers['content-type'], answer.trailers['grpc-status'], answer.trailers['grpc-message']]).toEqual([200, 'application/grpc+proto', '0', 'OK']);
      });
    } finally {
      session.close();
    }
  });

  it('takes and returns a message of several MiB past both sides’ windows, grpc-js and node:http2 with default 64 KiB windows', async () => {
    const client = grpcClient();
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const big = randomBytes(9 * 1024 * 1024);
      expect((await grpcCall(client, ECHO, big)).equals(big)).toBe(true);
      const body = grpcFrame(randomBytes(6 * 1024 * 1024));
      const answers = await Promise.all([request(session, ECHO, body).answer, request(session, ECHO, body).answer]);
      for (const answer of answers) expect(answer.body.equals(body)).toBe(true);
    } finally {
      client.close();
      session.close();
    }
  });

  it('leaves unanswered a call the client cancels, mid-upload or waiting for its answer, and goes on serving', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      const waiting = request(session, HOLD, grpcFrame(Buffer.from('hold')));
      waiting.answer.catch(() => undefined);
      await until(() => held.length === 1, 'the held call');
      waiting.stream.close(constants.NGHTTP2_CANCEL);
      await until(() => held[0].closed, 'the reset to arrive');
      held[0].respond(HEAD, Buffer.from('too late'), OK);

      // Trailers withheld, so node:http2 cannot end the stream before the reset (close() would otherwise end it).
      const uploading = session.request({ ':method': 'POST', ':path': ECHO, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      uploading.on('error', () => undefined);
      uploading.write(randomBytes(200 * 1024));
      await new Promise((resolve) => setTimeout(resolve, 50));
      uploading.close(constants.NGHTTP2_CANCEL);

      const after = await request(session, ECHO, grpcFrame(Buffer.from('after'))).answer;
      expect(after.body.subarray(5).toString()).toBe('after');
      expect(delivered).toBe(2);
    } finally {
      session.close();
    }
    const client = grpcClient();
    try {
      const call = client.makeUnaryRequest(
        HOLD,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from('hold'),
        () => undefined,
      );
      await until(() => held.length === 2, 'the held grpc-js call');
      call.cancel();
      await until(() => held[1].closed, 'the grpc-js cancel to arrive');
    } finally {
      client.close();
    }
  });

  it('on close sends GOAWAY, lets the call in flight finish, then closes; node:http2 and grpc-js', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    const client = grpcClient();
    try {
      const goaway = new Promise<number>((resolve) => session.once('goaway', (_code, lastStreamId) => resolve(lastStreamId)));
      const inFlight = request(session, HOLD, grpcFrame(Buffer.from('in flight')));
      const grpcInFlight = grpcCall(client, HOLD, Buffer.from('grpc in flight'));
      await until(() => held.length === 2, 'both held calls');
      const closing = server.close(5000);
      expect(await goaway).toBe(1);
      for (const call of held) call.respond(HEAD, call.body, OK);
      const answer = await inFlight.answer;
      expect([answer.body.subarray(5).toString(), answer.trailers['grpc-status']]).toEqual(['in flight', '0']);
      expect((await grpcInFlight).toString()).toBe('grpc in flight');
      await closing;
      await until(() => session.closed || session.destroyed, 'the session to close');
    } finally {
      session.close();
      client.close();
    }
  });

  it('cuts a connection still open after the grace period', async () => {
    const session = connect(`http://127.0.0.1:${port}`);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
    session.on('error', () => undefined);
    const stuck = request(session, HOLD, grpcFrame(Buffer.from('never answered')));
    const outcome = stuck.answer.then(
      () => 'answered',
      () => 'failed',
    );
    await until(() => held.length === 1, 'the held call');
    const started = Date.now();
    await server.close(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await closed;
    expect(await outcome).toBe('failed');
  });
});
