import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { status } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { JsonLogger } from '@mlops/observability';
import { InferenceError, InferenceErrorKind } from '../inference/inference-error';

const CODES: Record<InferenceErrorKind, status> = {
  invalid_argument: status.INVALID_ARGUMENT,
  not_found: status.NOT_FOUND,
  unavailable: status.UNAVAILABLE,
};

/** Refusals keep their status; caller mistakes end the call with INVALID_ARGUMENT / NOT_FOUND and the data plane's message; anything else INTERNAL. */
@Catch()
export class OipGrpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly log: JsonLogger;

  constructor(logger: JsonLogger) {
    this.log = logger.child('OipGrpcErrorFilter');
  }

  catch(error: unknown): Observable<never> {
    // Already a status (the API key guard's refusals): passed on as it is.
    if (error instanceof RpcException) return throwError(() => error.getError());
    if (error instanceof InferenceError) return throwError(() => ({ code: CODES[error.kind], details: error.message }));
    this.log.error(`gRPC call failed: ${(error as Error).message}`, (error as Error).stack);
    return throwError(() => ({ code: status.INTERNAL, details: 'internal error while serving the request' }));
  }
}
