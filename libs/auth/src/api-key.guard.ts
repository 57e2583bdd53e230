import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { AuthFailure, bearerChallenge, refusalBody } from './auth-outcome';
import type { Permission } from './permissions';
import type { Principal } from './principal';
import { PUBLIC_ROUTE, ROUTE_PERMISSION } from './route-permission.decorator';

interface GuardedRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  principal?: Principal;
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
    if (context.getType() !== 'http') {
      throw new Error('ApiKeyGuard reads HTTP headers only; an RPC handler checks its authorization metadata with ApiKeyAuthenticator');
    }
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

  private challenge(response: AnyResponse, failure: AuthFailure, keyGiven: boolean): void {
    const value = bearerChallenge(failure, keyGiven);
    if (response.setHeader) response.setHeader('www-authenticate', value);
    else response.header?.('www-authenticate', value);
  }
}
