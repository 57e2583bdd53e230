import { z } from 'zod';
import { API_KEY_SCHEME, PERMISSION_EXTENSION, PUBLIC_EXTENSION } from '../permissions';
import { platformRoutes } from './platform';
import type { HttpApi, HttpRoute } from './route';

/** The OpenAPI version every service serves: its schema dialect is JSON Schema 2020-12, which zod emits. */
export const OPENAPI_VERSION = '3.1.0';

export type JsonSchema = Record<string, unknown>;
export type OpenApiOperation = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; description: string; version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { securitySchemes: Record<string, unknown> };
  [extension: string]: unknown;
}

/** Nest's error answer: `message` names each field and reason when the contract refused the input. */
export const HttpErrorBody = z.object({
  statusCode: z.number().int(),
  message: z.union([z.string(), z.array(z.string())]),
  error: z.string().optional(),
});

/** The JSON Schema of a contract as a caller sends it (input) or reads it (output), ready to embed. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  // The document's own version fixes the dialect (OpenAPI 3.1: 2020-12), so each schema need not repeat it.
  const embedded = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete embedded.$schema;
  return embedded;
}

/** A service's OpenAPI document, derived only from its HTTP contract and the platform routes every service serves. */
export function openApiDocument(api: HttpApi): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [id, route] of Object.entries({ ...platformRoutes, ...api.routes })) {
    paths[route.path] = { ...paths[route.path], [route.method]: openApiOperation(id, route) };
  }
  return {
    openapi: OPENAPI_VERSION,
    info: { title: api.title, description: api.description, version: '1' },
    paths,
    components: {
      securitySchemes: { [API_KEY_SCHEME]: { type: 'http', scheme: 'bearer', description: 'An mlops API key: mlops_<key id>_<secret>' } },
    },
  };
}

function openApiOperation(id: string, route: HttpRoute): OpenApiOperation {
  const placeholders = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  const declared = Object.keys(route.params?.shape ?? {}).sort();
  if (placeholders.join() !== declared.join()) {
    throw new Error(`route ${id} (${route.path}) takes path values ${placeholders.join(', ') || 'none'} but its params schema declares ${declared.join(', ') || 'none'}`);
  }
  const guarded = 'permission' in route.access;
  return {
    operationId: id,
    summary: route.summary,
    tags: [route.tag],
    parameters: [...parameters(route.params, 'path'), ...parameters(route.query, 'query'), ...extensionHeader(route)],
    ...(route.body === undefined ? {} : { requestBody: { required: true, content: { ...content(route.body, 'input'), ...extensionContent(route) } } }),
    responses: responses(route, guarded),
    ...('permission' in route.access
      ? { security: [{ [API_KEY_SCHEME]: [] }], [PERMISSION_EXTENSION]: route.access.permission }
      : { security: [], [PUBLIC_EXTENSION]: true }),
  };
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): OpenApiOperation[] {
  if (!schema) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: jsonSchema(field, 'input'),
  }));
}

/** The header that says a body uses the binary extension, and how long its JSON part is. */
function extensionHeader(route: HttpRoute): OpenApiOperation[] {
  if (!route.binaryExtension) return [];
  const description = 'With the binary extension: the length in bytes of the JSON part; raw bytes follow it';
  return [{ name: route.binaryExtension.header, in: 'header', required: false, description, schema: { type: 'integer', minimum: 0 } }];
}

function extensionContent(route: HttpRoute): Record<string, unknown> {
  if (!route.binaryExtension) return {};
  const { header, contentType } = route.binaryExtension;
  const description = `The JSON form's first ${header} bytes, then the raw tensor bytes each tensor's binary_data_size counts`;
  return { [contentType]: { schema: { type: 'string', contentMediaType: contentType, description } } };
}

function content(body: NonNullable<HttpRoute['response']>, io: 'input' | 'output'): Record<string, unknown> {
  if ('binary' in body && typeof body.binary === 'string') return { [body.binary]: { schema: { type: 'string', contentMediaType: body.binary } } };
  if ('text' in body && typeof body.text === 'string') return { [body.text]: { schema: { type: 'string' } } };
  return { 'application/json': { schema: jsonSchema(body as z.ZodType, io) } };
}

function responses(route: HttpRoute, guarded: boolean): Record<string, unknown> {
  const error = (description: string) => ({ description, content: { 'application/json': { schema: jsonSchema(HttpErrorBody, 'output') } } });
  const answer = route.response === null ? { description: 'Done; nothing to answer' } : { description: route.summary, content: { ...content(route.response, 'output'), ...extensionContent(route) } };
  const all: Record<string, unknown> = { [String(route.status)]: answer };
  if (route.params || route.query || route.body) all['400'] = error('The input breaks the contract: each message names the field and the reason');
  for (const [status, description] of Object.entries(route.errors ?? {})) all[status] = error(description);
  if (guarded) {
    all['401'] = error('No API key, or one that is unknown, expired or revoked: the message says which');
    all['403'] = error(`The key's roles do not grant ${'permission' in route.access ? route.access.permission : ''}`);
  }
  return all;
}
