import { createHttpClient, HttpCallError, type HttpClient, type HttpRoute, ServiceUnreachable } from '@mlops/contracts';
import { refusal } from './api-client';
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
