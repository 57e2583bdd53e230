import type { ServerResponse } from 'node:http';

/** The response object a handler gets with @Res(): Node's (Express extends it) or Fastify's reply, which wraps it. */
export type AnyHttpResponse = ServerResponse | { raw: ServerResponse; status(code: number): unknown; header(name: string, value: string): unknown; send(body: string): unknown };

export function setStatus(res: AnyHttpResponse, status: number): void {
  if ('raw' in res) res.status(status);
  else res.statusCode = status;
}

/**
 * Sends text with exactly this content type: Express's send() would rewrite its parameters (the Prometheus exposition
 * version among them); Fastify sends a string as it is once the type is set.
 */
export function sendText(res: AnyHttpResponse, status: number, contentType: string, text: string): void {
  if ('raw' in res) {
    res.status(status);
    res.header('content-type', contentType);
    res.send(text);
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.end(text);
}
