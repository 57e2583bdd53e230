import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthFailure, bearerChallenge, GRPC_REFUSAL_CODE, refusalBody } from './auth-outcome';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import { PUBLIC_ROUTE, ROUTE_PERMISSION } from './route-permission.decorator';

interface GuardedRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
}

/** gRPC metadata as grpc-js hands it to a handler: values of a key, strings for text keys. */
interface RpcMetadata {
  get(key: string): unknown[];
}

/** Express answers with setHeader, Fastify with header. */
type AnyResponse = { setHeader?: (name: string, value: string) => void; header?: (name: string, value: string) => void };

/**
 * The one guard of every service's HTTP API. A route is public or names its permission; any other route is
 * refused, so forgetting to declare one closes it instead of opening it.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    if (context.getType() === 'rpc') return this.admitCall(context);
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(ROUTE_PERMISSION, targets);
    if (!permission) {
      throw new HttpException(
        {
          statusCode: 403,
          error: 'Forbidden',
          reason: 'route-undeclared',
          message: `${request.method ?? ''} ${request.url ?? context.getHandler().name} declares no permission (RequirePermission or PublicRoute), so it is closed`,
        },
        403,
      );
    }
    const header = request.headers.authorization;
    const outcome = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header, permission);
    if (!outcome.ok) {
      if (outcome.status === 401) this.challenge(context.switchToHttp().getResponse<AnyResponse>(), outcome, header !== undefined);
      throw new HttpException(refusalBody(outcome), outcome.status);
    }
    if (outcome.principal) request.principal = outcome.principal;
    return true;
  }

  /** gRPC: the key in the `authorization` metadata, a refusal as UNAUTHENTICATED, PERMISSION_DENIED or UNAVAILABLE. */
  private async admitCall(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(ROUTE_PERMISSION, [context.getHandler(), context.getClass()]);
    if (!permission) throw new RpcException({ code: GRPC_REFUSAL_CODE[403], details: `route-undeclared: ${context.getHandler().name} declares no permission, so it is closed` });
    const metadata = context.switchToRpc().getContext<RpcMetadata | undefined>();
    const value = metadata?.get('authorization')[0];
    const outcome = await this.authenticator.authenticate(typeof value === 'string' ? value : undefined, permission);
    if (!outcome.ok) throw new RpcException({ code: GRPC_REFUSAL_CODE[outcome.status], details: `${outcome.reason}: ${outcome.message}` });
    return true;
  }

  private challenge(response: AnyResponse, failure: AuthFailure, keyGiven: boolean): void {
    const value = bearerChallenge(failure, keyGiven);
    if (response.setHeader) response.setHeader('www-authenticate', value);
    else response.header?.('www-authenticate', value);
  }
}
