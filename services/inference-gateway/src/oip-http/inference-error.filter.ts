import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { InferenceError, InferenceErrorKind } from '../inference/inference-error';
import { sendJson } from './send';

const STATUS: Record<InferenceErrorKind, number> = { invalid_argument: 400, not_found: 404, unavailable: 503 };

/** OIP error bodies are `{ "error": "<message>" }`; tritonclient and kserve clients read that field. */
@Catch()
export class OipErrorFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    if (error instanceof InferenceError) {
      sendJson(response, STATUS[error.kind], { error: error.message });
    } else if (error instanceof HttpException) {
      const body = error.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? error.message);
      sendJson(response, error.getStatus(), { error: Array.isArray(message) ? message.join('; ') : String(message) });
    } else {
      sendJson(response, 500, { error: 'internal error while serving the request' });
    }
  }
}
