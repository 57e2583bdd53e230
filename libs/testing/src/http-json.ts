export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** GET with an optional API key, e.g. getJson(url, testApiKey('auditor')). */
export async function getJson<T = unknown>(url: string, apiKey?: string): Promise<JsonResponse<T>> {
  const headers = apiKey ? { authorization: `Bearer ${apiKey}` } : undefined;
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // plain-text bodies (e.g. /metrics) are returned as they are
  }
  return { status: response.status, body: body as T, headers: response.headers };
}
