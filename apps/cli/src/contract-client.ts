import { createHttpClient, HttpCallError, type HttpClient, type HttpRoute, ServiceUnreachable } from '@mlops/contracts';
import { credentialsFile } from './cli-credentials';
import { CliError, EXIT } from './cli-error';

/** A service's typed client whose failures are the CLI's: a refusal keeps the service's reason and gets its exit code. */
export function cliClient<R extends Record<string, HttpRoute>>(routes: R, baseUrl: string, serviceName: string, apiKey?: string): HttpClient<R> {
  const client = createHttpClient(routes, { baseUrl, apiKey }) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [id, call] of Object.entries(client)) {
    wrapped[id] = (...args) =>
      call(...args).catch((err: unknown) => {
        if (err instanceof HttpCallError) throw refusal(err.call, err.status, err.reason);
        if (err instanceof ServiceUnreachable) throw new CliError(`cannot reach ${serviceName} at ${baseUrl}: ${err.message}`, EXIT.unreachable);
        throw err;
      });
  }
  return wrapped as unknown as HttpClient<R>;
}

/** A service's refusal as the CLI reports it: the reason, a hint for a missing key, and the exit code of its kind. */
function refusal(what: string, status: number, reason: string): CliError {
  const hint = status === 401 ? ` (the key comes from MLOPS_API_KEY or ${credentialsFile()}; \`mlops keys create\` makes one)` : '';
  return new CliError(`${what} failed (${status}): ${reason}${hint}`, exitCodeFor(status));
}

function exitCodeFor(status: number): number {
  if (status === 404) return EXIT.notFound;
  if (status === 409 || status === 422 || status === 401 || status === 403) return EXIT.refused;
  if (status >= 400 && status < 500) return EXIT.usage;
  return EXIT.failure;
}
