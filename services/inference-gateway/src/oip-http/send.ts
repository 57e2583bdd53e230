import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http1Answer } from '../http1/http1-response';
import { invalid } from '../inference/inference-error';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers as one flat list in writeHead: Node formats them once instead of storing each through setHeader. */
export function send(res: ServerResponse, status: number, body: Buffer | string, contentType: string = JSON_TYPE, extra?: string[]): void {
  const headers = ['content-type', contentType, 'content-length', String(Buffer.byteLength(body))];
  if (extra) headers.push(...extra);
  res.writeHead(status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body));
}

export function sendAnswer(res: ServerResponse, answer: Http1Answer): void {
  send(res, answer.status, answer.body, answer.contentType, answer.headers);
}

/** Event-based rather than `for await`: the stream async iterator costs more than the model run on small bodies. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(invalid(`request body is larger than ${maxBytes} bytes`));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
