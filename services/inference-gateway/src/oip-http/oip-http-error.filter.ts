import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { JsonLogger } from '@mlops/observability';
import { InferenceError, InferenceErrorKind } from '../inference/inference-error';

const STATUS: Record<InferenceErrorKind, number> = { invalid_argument: 400, not_found: 404, unavailable: 503 };
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Every HTTP error of the gateway as OIP has it, `{ "error": "<message>" }` (tritonclient and kserve clients read that
 * field): the data plane's, Nest's, and Fastify's own refusals before a handler runs (body too large, undecodable
 * compression, JSON that does not parse).
 */
@Catch()
export class OipHttpErrorFilter implements ExceptionFilter {
  private readonly log: JsonLogger;

  constructor(
    private readonly maxBodyBytes: number,
    logger: JsonLogger,
  ) {
    this.log = logger.child('OipHttpErrorFilter');
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const [status, message] = this.describe(error);
    void host.switchToHttp().getResponse<FastifyReply>().status(status).header('content-type', JSON_TYPE).send(JSON.stringify({ error: message }));
  }

  private describe(error: unknown): [number, string] {
    if (error instanceof InferenceError) return [STATUS[error.kind], error.message];
    // Nest hands Fastify's own refusals over as HttpExceptions with Fastify's status and message.
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return [status, status === 413 ? `request body is larger than ${this.maxBodyBytes} bytes` : messageOf(error)];
    }
    // A plugin's refusal (@fastify/compress: an encoding it does not speak, a body that does not inflate).
    const { statusCode, message } = error as { statusCode?: unknown; message?: unknown };
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return [statusCode, String(message)];
    this.log.error(`request failed: ${(error as Error).message}`, (error as Error).stack);
    return [500, 'internal error while serving the request'];
  }
}

function messageOf(error: HttpException): string {
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
  return Array.isArray(message) ? message.join('; ') : String(message);
}
