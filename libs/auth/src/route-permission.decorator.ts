import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { API_KEY_SCHEME, PERMISSION_EXTENSION, PUBLIC_EXTENSION, type Permission } from '@mlops/contracts';
import type { Principal } from './principal';

export const ROUTE_PERMISSION = 'mlops:route-permission';
export const PUBLIC_ROUTE = 'mlops:public-route';

export { API_KEY_SCHEME, PERMISSION_EXTENSION, PUBLIC_EXTENSION };

/**
 * The permission a route needs; a route with neither this nor PublicRoute is refused by the guard. The OpenAPI
 * document carries it too, so clients see what a call needs and the permission walk test reads it from there.
 */
export const RequirePermission = (permission: Permission) =>
  applyDecorators(
    SetMetadata(ROUTE_PERMISSION, permission),
    ApiBearerAuth(API_KEY_SCHEME),
    ApiExtension(PERMISSION_EXTENSION, permission),
    ApiUnauthorizedResponse({ description: 'No API key, or one that is unknown, expired or revoked: `reason` says which' }),
    ApiForbiddenResponse({ description: `The key's roles do not grant ${permission}` }),
  );

/** Health, readiness, metrics and API documents: open to anyone. */
export const PublicRoute = () => applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension(PUBLIC_EXTENSION, true));

/** The authenticated caller, as the guard attached it to the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route the API key guard did not authenticate');
  return request.principal;
});
