import { credentialsFile } from './cli-credentials';
import { CliError, EXIT } from './cli-error';

/**
 * JSON over HTTP to one platform service, with the caller's API key, turning its error bodies into messages a
 * person can act on.
 */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly serviceName: string,
    private readonly apiKey?: string,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  async request<T>(method: string, path: string, body?: unknown, init: RequestInit = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...init,
        headers: {
          ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
    } catch (err) {
      throw new CliError(`cannot reach ${this.serviceName} at ${this.baseUrl}: ${(err as Error).message}`, EXIT.unreachable);
    }
    return readResponse<T>(response, `${method} ${path}`);
  }
}

export async function readResponse<T>(response: Response, what: string): Promise<T> {
  const text = await response.text();
  const parsed = text ? safeJson(text) : undefined;
  if (response.ok) return parsed as T;
  throw refusal(what, response.status, describeErrorBody(parsed) ?? (text || response.statusText));
}

/** A service's refusal as the CLI reports it: the reason, a hint for a missing key, and the exit code of its kind. */
export function refusal(what: string, status: number, reason: string): CliError {
  const hint = status === 401 ? ` (the key comes from MLOPS_API_KEY or ${credentialsFile()}; \`mlops keys create\` makes one)` : '';
  return new CliError(`${what} failed (${status}): ${reason}${hint}`, exitCodeFor(status));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeErrorBody(body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const message = (body as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : undefined;
}

function exitCodeFor(status: number): number {
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 422 || status === 401 || status === 403) return EXIT.refused;
  if (status >= 400 && status < 500) return EXIT.usage;
  return EXIT.failure;
}
