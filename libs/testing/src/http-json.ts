export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function getJson<T = unknown>(url: string): Promise<JsonResponse<T>> {
  return answer<T>(await fetch(url, { signal: AbortSignal.timeout(5000) }));
}

/** POSTs `body` as JSON; building a dataset can take a while, so the wait is long. */
export async function postJson<T = unknown>(url: string, body: unknown): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  return answer<T>(response);
}

async function answer<T>(response: Response): Promise<JsonResponse<T>> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text bodies (e.g. /metrics) are returned as they are
  }
  return { status: response.status, body: body as T, headers: response.headers };
}
