import { testApiKey } from './test-keys';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** Test calls go as the test admin unless a spec says otherwise: a role's key (testApiKey), or null for none. */
export type CallerKey = string | null;

export async function getJson<T = unknown>(url: string, apiKey: CallerKey = testApiKey('admin')): Promise<JsonResponse<T>> {
  return sendJson<T>('GET', url, undefined, apiKey);
}

/** A JSON request (`body` undefined: none), read back as JSON when it parses, else as text (e.g. /metrics). */
export async function sendJson<T = unknown>(method: string, url: string, body?: unknown, apiKey: CallerKey = testApiKey('admin')): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(method === 'GET' ? 5000 : 120_000) });
  return answer<T>(response);
}

/** POSTs `body` as JSON as the test admin; building a dataset can take a while, so the wait is long. */
export async function postJson<T = unknown>(url: string, body: unknown, apiKey: CallerKey = testApiKey('admin')): Promise<JsonResponse<T>> {
  return sendJson<T>('POST', url, body, apiKey);
}

async function answer<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain-text bodies (e.g. /metrics) are returned as they are
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}
