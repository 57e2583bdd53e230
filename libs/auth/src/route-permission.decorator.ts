import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';
import type { Principal } from './principal';

export const ROUTE_PERMISSION = 'mlops:route-permission';
export const PUBLIC_ROUTE = 'mlops:public-route';

/** The permission a route needs; a route with neither this nor PublicRoute is refused by the guard. */
export const RequirePermission = (permission: Permission) => SetMetadata(ROUTE_PERMISSION, permission);

/** Health, readiness, metrics and API documents: open to anyone. */
export const PublicRoute = () => SetMetadata(PUBLIC_ROUTE, true);

/** The authenticated caller, as the guard attached it to the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a route the API key guard did not authenticate');
  return request.principal;
});
