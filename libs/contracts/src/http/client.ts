import type { z } from 'zod';
import type { BinaryBody, HttpRoute } from './route';

/** The service answered outside the 2xx range; `message` carries its reason (each field and why, for a 400). */
export class HttpCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly call: string,
  ) {
    super(`${call} answered ${status}: ${describeErrorBody(body)}`);
  }

  /** The service's own reason, without the call and status. */
  get reason(): string {
    return describeErrorBody(this.body);
  }
}

/** No answer at all: refused connection, DNS, timeout; `reason` is the socket's code or the timeout. */
export class ServiceUnreachable extends Error {
  constructor(
    readonly reason: string,
    readonly call: string,
    readonly origin: string,
  ) {
    super(`${call} at ${origin} got no answer: ${reason}`);
  }
}

/** The service answered 2xx with a body its own contract refuses. */
export class AnswerOutsideContract extends Error {}

type Scalar = string | number | boolean;
type ParamsInput<R extends HttpRoute> = R['params'] extends z.ZodObject ? { params: { [K in keyof z.input<R['params']>]: Scalar } } : unknown;
type QueryInput<R extends HttpRoute> = R['query'] extends z.ZodObject ? { query?: { [K in keyof z.input<R['query']>]?: Scalar } } : unknown;
type BodyInput<R extends HttpRoute> = R['body'] extends z.ZodType
  ? { body: z.input<R['body']> }
  : R['body'] extends BinaryBody
    ? { body: NonNullable<RequestInit['body']> }
    : unknown;

/** What a caller sends: path values, query values and the body, each as the contract takes them. */
export type CallInput<R extends HttpRoute> = ParamsInput<R> & QueryInput<R> & BodyInput<R>;

/** What a caller gets back: the contract's JSON, nothing for 204, the raw Response for bytes and text. */
export type CallAnswer<R extends HttpRoute> = R['response'] extends z.ZodType ? z.output<R['response']> : R['response'] extends null ? void : Response;

type HasInput<R extends HttpRoute> = R['params'] extends z.ZodObject ? true : R['body'] extends object ? true : false;
type CallArgs<R extends HttpRoute> = HasInput<R> extends true ? [input: CallInput<R>, options?: CallOptions] : [input?: CallInput<R>, options?: CallOptions];

export interface CallOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

/** One typed method per route of a service's HTTP API. */
export type HttpClient<Routes extends Record<string, HttpRoute>> = {
  [K in keyof Routes]: (...args: CallArgs<Routes[K]>) => Promise<CallAnswer<Routes[K]>>;
};

export interface HttpClientOptions {
  baseUrl: string;
  /** Sent as a bearer token; a caller without one reaches only public routes. */
  apiKey?: string;
  /** Applied to every call that passes no signal of its own. */
  timeoutMs?: number;
}

/** A client for one service built from its contract: it sends what the routes take and checks what they answer. */
export function createHttpClient<Routes extends Record<string, HttpRoute>>(routes: Routes, options: HttpClientOptions): HttpClient<Routes> {
  const client: Record<string, (input?: RawInput, callOptions?: CallOptions) => Promise<unknown>> = {};
  for (const [id, route] of Object.entries(routes)) client[id] = (input, callOptions) => call(route, options, input ?? {}, callOptions ?? {});
  return client as HttpClient<Routes>;
}

/** The answer, or undefined when the service says there is no such thing (404). */
export async function unlessNotFound<T>(answer: Promise<T>): Promise<T | undefined> {
  try {
    return await answer;
  } catch (err) {
    if (err instanceof HttpCallError && err.status === 404) return undefined;
    throw err;
  }
}

interface RawInput {
  params?: Record<string, Scalar>;
  query?: Record<string, Scalar | undefined>;
  body?: unknown;
}

async function call(route: HttpRoute, options: HttpClientOptions, input: RawInput, callOptions: CallOptions): Promise<unknown> {
  const path = route.path.replace(/\{(\w+)\}/g, (_all, name: string) => encodeURIComponent(String(input.params?.[name])));
  const url = new URL(`${options.baseUrl.replace(/\/$/, '')}${path}`);
  for (const [name, value] of Object.entries(input.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
  const what = `${route.method.toUpperCase()} ${url.pathname}`;
  const response = await send(url, route, options, input.body, callOptions, what);
  if (!response.ok) throw new HttpCallError(response.status, await readBody(response), what);
  if (route.response === null) return undefined;
  if (!isSchema(route.response)) return response;
  const parsed = route.response.safeParse(await readBody(response));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AnswerOutsideContract(`${what} answered a body its contract refuses: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

async function send(url: URL, route: HttpRoute, options: HttpClientOptions, body: unknown, callOptions: CallOptions, what: string): Promise<Response> {
  const json = isSchema(route.body);
  const headers: Record<string, string> = {
    ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...(route.body === undefined ? {} : { 'content-type': json ? 'application/json' : (route.body as BinaryBody).binary }),
    ...callOptions.headers,
  };
  const signal = callOptions.signal ?? (options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined);
  const init: RequestInit & { duplex?: 'half' } = { method: route.method.toUpperCase(), headers, signal };
  if (route.body !== undefined) {
    init.body = json ? JSON.stringify(body) : (body as NonNullable<RequestInit['body']>);
    // A streamed request body must say so to Node's fetch.
    if (body instanceof ReadableStream) init.duplex = 'half';
  }
  try {
    return await fetch(url, init);
  } catch (err) {
    throw new ServiceUnreachable(unreachableReason(err, options.timeoutMs), what, url.origin);
  }
}

/** fetch hides the socket error in `cause`: that is what tells the caller why (ECONNREFUSED, a timeout...). */
function unreachableReason(err: unknown, timeoutMs: number | undefined): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' && timeoutMs) return `no answer within ${timeoutMs} ms`;
  return error.cause?.code ?? error.cause?.message ?? error.message;
}

function isSchema(part: HttpRoute['body'] | HttpRoute['response']): part is z.ZodType {
  return typeof part === 'object' && part !== null && 'safeParse' in part;
}

async function readBody(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return body ? (JSON.parse(body) as unknown) : undefined;
  } catch {
    return body;
  }
}

function describeErrorBody(body: unknown): string {
  if (body && typeof body === 'object') {
    const message = (body as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  }
  return typeof body === 'string' && body ? body : JSON.stringify(body ?? null);
}
