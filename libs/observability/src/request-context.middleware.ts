import { Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { logContext } from './log-context';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id';

/**
 * Express: gives each request an id, returns it to the caller, and runs the rest of the request inside logContext
 * so every log line it causes carries the id (Fastify: fastify-http-hooks.ts).
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const requestId = requestIdOf(req.headers[REQUEST_ID_HEADER]);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    logContext.run({ requestId }, next);
  }
}
