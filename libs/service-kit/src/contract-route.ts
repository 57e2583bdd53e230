import { applyDecorators, Body, HttpCode, Param, PipeTransform, Query, RequestMapping, RequestMethod, SetMetadata } from '@nestjs/common';
import type { z } from 'zod';
import { PublicRoute, RequirePermission } from '@mlops/auth';
import type { HttpRoute } from '@mlops/contracts';
import { parseInput } from './parse-input';

export const CONTRACT_ROUTE = 'mlops:contract-route';

const METHODS = { get: RequestMethod.GET, post: RequestMethod.POST, put: RequestMethod.PUT, patch: RequestMethod.PATCH, delete: RequestMethod.DELETE };

/**
 * Serves a route of a service's HTTP contract: its method, path, success status and permission all come from
 * the contract, so the controller cannot disagree with the OpenAPI document derived from it.
 */
export function ContractRoute(route: HttpRoute): MethodDecorator {
  return applyDecorators(
    RequestMapping({ path: route.path.replace(/\{(\w+)\}/g, ':$1'), method: METHODS[route.method] }),
    HttpCode(route.status),
    'permission' in route.access ? RequirePermission(route.access.permission) : PublicRoute(),
    SetMetadata(CONTRACT_ROUTE, route),
  );
}

/** Checks one part of a request against its contract schema: a 400 naming each field and reason, or the typed value. */
export class ContractPipe implements PipeTransform {
  constructor(
    private readonly schema: z.ZodType,
    private readonly where: 'path' | 'query' | 'body',
  ) {}

  transform(value: unknown): unknown {
    return parseInput(this.schema, value, this.where);
  }
}

function part(route: HttpRoute, where: 'params' | 'query' | 'body'): z.ZodType {
  const schema = route[where];
  if (!schema || !('safeParse' in schema)) throw new Error(`the contract of ${route.method.toUpperCase()} ${route.path} has no ${where} schema`);
  return schema;
}

/** The route's path values, validated by its contract. */
export const ContractParams = (route: HttpRoute): ParameterDecorator => Param(new ContractPipe(part(route, 'params'), 'path'));
/** The route's query, validated by its contract. */
export const ContractQuery = (route: HttpRoute): ParameterDecorator => Query(new ContractPipe(part(route, 'query'), 'query'));
/** The route's JSON body, validated by its contract. */
export const ContractBody = (route: HttpRoute): ParameterDecorator => Body(new ContractPipe(part(route, 'body'), 'body'));
