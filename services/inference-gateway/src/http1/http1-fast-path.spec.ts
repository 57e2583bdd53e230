import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import { headerValue } from './http1-request-head';
import { Http1FastPath } from './http1-fast-path';

// A real server on loopback: the raw path answers POST /fast, Node's own server everything else.
let server: Server;
let fastPath: Http1FastPath;
let port: number;

beforeEach(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = `general ${req.method} ${req.url} ${Buffer.concat(chunks).length}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': text.length, 'x-served-by': 'general' });
      res.end(text);
    });
  });
  fastPath = new Http1FastPath(server, {
    route: (head) => {
      if (head.method === 'POST' && head.target === '/slow') return () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, contentType: 'text/plain', body: 'slow' }), 2500));
      return head.method === 'POST' && head.target === '/fast'
        ? async ({ head: h, body }) => ({ status: 200, contentType: 'text/plain', body: `fast ${body.length} ${headerValue(h.headers, 'x-key') ?? '-'}`, headers: ['x-served-by', 'fast'] })
        : null;
    },
    maxHeadBytes: 1024,
    maxBodyBytes: 100_000,
    idleTimeoutSeconds: 1,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  fastPath.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Writes `parts` (with a pause between them) and collects everything the server sends until it closes or `until` matches. */
function raw(parts: (string | Buffer)[], until?: (text: string) => boolean): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, closed });
    };
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (until?.(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    socket.on('connect', async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 15));
      }
    });
  });
}

const post = (path: string, body: string, headers = '') => `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}\r\n${body}`;
const answers = (text: string) => text.split('HTTP/1.1 ').slice(1);

describe('the raw HTTP/1.1 path in front of a Node server', () => {
  it('answers its route itself, with the framing and headers Node would write', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/fast`, { method: 'POST', body: 'hello', headers: { 'x-key': 'k1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-served-by')).toBe('fast');
    expect(response.headers.get('content-length')).toBe(String('fast 5 k1'.length));
    expect(response.headers.get('connection')).toBe('keep-alive');
    expect(Number.isNaN(Date.parse(response.headers.get('date') ?? ''))).toBe(false);
    expect(await response.text()).toBe('fast 5 k1');
  });

  it('leaves every other request to the general server', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/other?q=1`);
    expect(response.headers.get('x-served-by')).toBe('general');
    expect(await response.text()).toBe('general GET /other?q=1 0');
  });

  it('answers pipelined requests in order, and hands the connection over at the first request it does not serve', async () => {
    const { text } = await raw([post('/fast', 'a') + post('/fast', 'bb') + 'GET /g HTTP/1.1\r\nhost: x\r\n\r\n' + post('/fast', 'ccc')], (t) => t.includes('general POST /fast 3'));
    const bodies = answers(text).map((answer) => answer.split('\r\n\r\n')[1]);
    expect(bodies).toEqual(['fast 1 -', 'fast 2 -', 'general GET /g 0', 'general POST /fast 3']);
  });

  it('waits for a head and body that arrive in pieces', async () => {
    const body = 'x'.repeat(5000);
    const whole = Buffer.from(post('/fast', body));
    const parts = [whole.subarray(0, 10), whole.subarray(10, 40), whole.subarray(40, 2000), whole.subarray(2000)];
    const { text } = await raw(parts, (t) => t.includes('fast 5000'));
    expect(answers(text)).toHaveLength(1);
  });

  it('gives chunked bodies, Expect and HTTP/1.0 keep-alive rules to the right place', async () => {
    const chunked = await raw(['POST /fast HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'], (t) => t.includes('general POST'));
    expect(chunked.text).toContain('general POST /fast 3');
    const body = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/fast', method: 'POST', headers: { expect: '100-continue', 'content-length': 2 } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('continue', () => req.end('hi'));
      req.on('error', reject);
    });
    expect(body).toBe('general POST /fast 2');
    const old = await raw(['POST /fast HTTP/1.0\r\ncontent-length: 1\r\n\r\nz']);
    expect(old.closed).toBe(true);
    expect(old.text).toContain('connection: close');
    expect(old.text.endsWith('fast 1 -')).toBe(true);
  });

  it('closes after the answer when the client asks for it', async () => {
    const { text, closed } = await raw([post('/fast', 'a', 'connection: close\r\n')]);
    expect(closed).toBe(true);
    expect(text).toContain('connection: close\r\n');
    expect(text.endsWith('fast 1 -')).toBe(true);
  });

  it.each([
    ['a malformed request line', 'POST /fast HTTP/2.0\r\n\r\n', '400 Bad Request', 'malformed request line'],
    ['a header line without a colon', 'POST /fast HTTP/1.1\r\nbroken\r\n\r\n', '400 Bad Request', 'malformed header line'],
    ['conflicting lengths', 'POST /fast HTTP/1.1\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\nab', '400 Bad Request', 'conflicting content-length headers'],
    ['a length that is not a number', 'POST /fast HTTP/1.1\r\ncontent-length: 1x\r\n\r\n', '400 Bad Request', "content-length '1x' is not a number of bytes"],
    ['a head over the limit', `POST /fast HTTP/1.1\r\nx-big: ${'y'.repeat(2000)}\r\n\r\n`, '431 Request Header Fields Too Large', 'request header section too large'],
    ['a body over the limit', 'POST /fast HTTP/1.1\r\ncontent-length: 100001\r\n\r\n', '413 Payload Too Large', 'request body is larger than 100000 bytes'],
  ])('refuses %s with a reason and closes the connection', async (_what, request, status, reason) => {
    const { text, closed } = await raw([request]);
    expect(closed).toBe(true);
    expect(text.startsWith(`HTTP/1.1 ${status}\r\n`)).toBe(true);
    expect(JSON.parse(text.split('\r\n\r\n')[1])).toEqual({ error: reason });
  });

  it('ends a connection idle past the timeout, but not one whose answer is still being made', async () => {
    const idle = connect(port, '127.0.0.1');
    const started = Date.now();
    await new Promise((resolve) => idle.once('close', resolve));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const slow = await raw([post('/slow', '')], (t) => t.endsWith('slow'));
    expect(slow.text).toContain('200 OK');
  });

  it('on close ends idle connections at once, and ends one accepted meanwhile after answering its request', async () => {
    const idle = connect(port, '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    await new Promise((r) => setTimeout(r, 20));
    const ended = new Promise((resolve) => idle.once('end', resolve));
    fastPath.close();
    await ended;
    const late = await raw([post('/fast', 'a')]);
    expect(late.closed).toBe(true);
    expect(late.text).toContain('connection: close');
  });
});
