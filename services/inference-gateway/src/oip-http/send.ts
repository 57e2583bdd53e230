import type { ServerResponse } from 'node:http';

const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers as one flat list in writeHead: Node formats them once instead of storing each through setHeader. */
export function send(res: ServerResponse, status: number, body: Buffer | string, contentType: string = JSON_TYPE, extra?: [string, string]): void {
  const headers = ['content-type', contentType, 'content-length', String(Buffer.byteLength(body))];
  if (extra) headers.push(extra[0], extra[1]);
  res.writeHead(status, headers);
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON.stringify(body));
}
