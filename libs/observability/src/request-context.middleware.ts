import { Injectable, NestMiddleware } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { logContext } from './log-context';

const REQUEST_ID_HEADER = 'x-request-id';

// A caller's id is kept only if it is a sane token: it lands in every log line and in the response header.
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Gives each request an id (the caller's, so a trace spans services, or a new one), returns it to the caller, and
 * runs the rest of the request inside logContext so every log line it causes carries the id.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const given = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, requestId);
    logContext.run({ requestId }, next);
  }
}
