import { ArgumentsHost, Catch, Controller, RpcExceptionFilter, UseFilters } from '@nestjs/common';
import { GrpcMethod, RpcException } from '@nestjs/microservices';
import { status, type ServerUnaryCall } from '@grpc/grpc-js';
import { Observable, throwError } from 'rxjs';
import { RequirePermission } from '@mlops/auth';
import { JsonLogger } from '@mlops/observability';
import { FeatureCatalog } from '../definitions/feature-catalog';
import { InvalidOnlineRequestError, OnlineFeatures } from './online-features';
import { getOnlineFeaturesResponse, GetOnlineFeaturesRequest, GetOnlineFeaturesResponse, onlineRequestOf } from './online-features-grpc-message';
import { parseOnlineRequest } from './online-request';

/** Statuses for what the read throws: the caller's mistake is INVALID_ARGUMENT naming the field, anything else INTERNAL. */
@Catch()
export class GrpcStatusFilter implements RpcExceptionFilter {
  private readonly log: JsonLogger;

  constructor(logger: JsonLogger) {
    this.log = logger.child('OnlineFeaturesGrpc');
  }

  catch(err: unknown, _host: ArgumentsHost): Observable<never> {
    if (err instanceof RpcException) return throwError(() => err.getError());
    if (err instanceof InvalidOnlineRequestError) return throwError(() => ({ code: status.INVALID_ARGUMENT, details: err.message }));
    this.log.error(`GetOnlineFeatures failed: ${(err as Error).message}`, (err as Error).stack);
    return throwError(() => ({ code: status.INTERNAL, details: 'the read failed; the feature store logged why' }));
  }
}

/** FeatureStoreService over gRPC: the gRPC adapter of the online read, the twin of POST /online-features. */
@Controller()
@UseFilters(GrpcStatusFilter)
export class OnlineFeaturesGrpcController {
  constructor(
    private readonly online: OnlineFeatures,
    private readonly catalog: FeatureCatalog,
  ) {}

  @GrpcMethod('FeatureStoreService', 'GetOnlineFeatures')
  @RequirePermission('features:read')
  async getOnlineFeatures(request: GetOnlineFeaturesRequest, _metadata: unknown, call: ServerUnaryCall<unknown, unknown>): Promise<GetOnlineFeaturesResponse> {
    // A caller that gave up (deadline, cancel) is owed nothing: reading for it anyway is how an overloaded server
    // ends up answering only calls whose deadline has passed.
    if (call.cancelled) throw new RpcException({ code: status.CANCELLED, details: 'the caller cancelled the call' });
    const parsed = parseOnlineRequest(onlineRequestOf(request));
    if (!parsed.ok) throw new InvalidOnlineRequestError(parsed.reasons.join('; '));
    const result = await this.online.read(parsed.request.entities, parsed.request.features);
    // read() has resolved every ref already, so this cannot throw.
    return getOnlineFeaturesResponse(result, (ref) => this.catalog.resolve(ref).field.type);
  }
}
