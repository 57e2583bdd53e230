import { z } from 'zod';
import type { Permission } from '../permissions';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A body or answer that is raw bytes (an ONNX file, a Parquet snapshot) rather than JSON. */
export interface BinaryBody {
  binary: string;
}
export const binary = (contentType = 'application/octet-stream'): BinaryBody => ({ binary: contentType });

/** A text answer (Prometheus metrics, NDJSON logs): not JSON, described by its content type. */
export interface TextBody {
  text: string;
}
export const text = (contentType: string): TextBody => ({ text: contentType });

export type Access = { permission: Permission } | { public: true };

/**
 * One HTTP operation of a service, once: the Nest controller validates its inputs with these schemas, the
 * OpenAPI document is derived from them and the typed client sends and reads them. Path and query values
 * arrive as text, so their schemas take text and give typed values.
 */
export interface HttpRoute {
  method: HttpMethod;
  /** OpenAPI form, with {param} placeholders. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType | BinaryBody;
  /**
   * The JSON body and answer may instead come as `contentType`: `header` bytes of that JSON followed by raw bytes
   * (the Open Inference Protocol's binary tensor extension).
   */
  binaryExtension?: { header: string; contentType: string };
  /** The success status: 204 answers nothing. */
  status: 200 | 201 | 202 | 204;
  response: z.ZodType | BinaryBody | TextBody | null;
  /** The refusals a caller should expect, by status, and why each happens. */
  errors?: Partial<Record<400 | 404 | 409 | 413 | 415 | 422 | 502 | 503, string>>;
}

/** A service's HTTP API: every route by operation id. */
export interface HttpApi<R extends Record<string, HttpRoute> = Record<string, HttpRoute>> {
  title: string;
  description: string;
  routes: R;
}

/** A list answer: `{ items: [...] }`, as every list route of the platform answers. */
export const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });

/** Keeps each route's literal type, so clients and controllers see its exact schemas. */
export const defineRoutes = <R extends Record<string, HttpRoute>>(routes: R): R => routes;

type SchemaOf<T> = T extends z.ZodType ? T : never;

/** What a controller receives once the contract has validated it. */
export type RouteParams<R extends HttpRoute> = z.output<SchemaOf<R['params']>>;
export type RouteQuery<R extends HttpRoute> = z.output<SchemaOf<R['query']>>;
export type RouteBody<R extends HttpRoute> = z.output<SchemaOf<R['body']>>;
/** What a controller answers (and a client reads back): JSON as the contract's output, nothing for 204. */
export type RouteResponse<R extends HttpRoute> = R['response'] extends z.ZodType ? z.output<R['response']> : R['response'] extends null ? void : unknown;
