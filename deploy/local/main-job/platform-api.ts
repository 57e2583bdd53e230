// The running platform's HTTP APIs as the main job calls them: one fetch helper with the caller's key, polling,
// and the keys the job makes for itself with the admin key (and revokes at the end).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CreatedApiKey, createHttpClient, governanceRoutes, type Role, trainerRoutes } from '@mlops/contracts';

export const REPO = join(__dirname, '..', '..', '..');
export const URL = {
  featureStore: 'http://127.0.0.1:8082',
  trainer: 'http://127.0.0.1:8086',
  registry: 'http://127.0.0.1:8084',
  governance: 'http://127.0.0.1:8085',
  gateway: 'http://127.0.0.1:8080',
  gatewayGrpc: '127.0.0.1:8081',
  monitor: 'http://127.0.0.1:8087',
} as const;

export const ADMIN_KEY = readFileSync(join(REPO, '.data', 'admin.key'), 'utf8').trim();

/** The job's own keys, set once it has made them. */
export const keys = { scientist: '', auditor: '' };

/** The trainer's typed client, with the scientist's key (made at the start of the job). */
export const trainerApi = () => createHttpClient(trainerRoutes, { baseUrl: URL.trainer, apiKey: keys.scientist });

export async function call<T>(method: string, url: string, body?: unknown, apiKey = keys.scientist): Promise<T> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Asks until `probe` answers something; the last error is in the message if it never does. */
export async function poll<T>(what: string, probe: () => Promise<T | undefined>, seconds = 120, everyMs = 250): Promise<T> {
  let lastError = '';
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; ) {
    const value = await probe().catch((err: Error) => {
      lastError = err.message;
      return undefined;
    });
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`gave up waiting ${seconds} s for ${what}${lastError ? ` (last error: ${lastError})` : ''}`);
}

const governanceAsAdmin = createHttpClient(governanceRoutes, { baseUrl: URL.governance, apiKey: ADMIN_KEY });

/** A one-day key for a principal of the job, made (with the principal if need be) with the admin key. */
async function jobKey(name: string, role: Role): Promise<CreatedApiKey> {
  const { items } = await governanceAsAdmin.listPrincipals({ query: { name } });
  const principal = items[0] ?? (await governanceAsAdmin.createPrincipal({ body: { name, roles: [role] } }));
  return governanceAsAdmin.createApiKey({ params: { id: principal.id }, body: { expiresInDays: 1, description: 'platform main job' } });
}

export async function makeKeys(): Promise<CreatedApiKey[]> {
  const made = [await jobKey('demo-scientist', 'data-scientist'), await jobKey('demo-auditor', 'auditor')];
  [keys.scientist, keys.auditor] = made.map((key) => key.apiKey);
  // Every service learns of a key from governance's key topic, within moments of its creation.
  const reads = [`${URL.featureStore}/entities`, `${URL.trainer}/runs?limit=1`, `${URL.registry}/models?limit=1`, `${URL.monitor}/models/x/policy`];
  await poll('every service to accept the job key', async () => ((await Promise.all(reads.map((url) => call('GET', url)))) ? true : undefined), 30);
  return made;
}

export async function revokeKeys(made: CreatedApiKey[]): Promise<void> {
  for (const key of made) await governanceAsAdmin.revokeApiKey({ params: { keyId: key.keyId } });
}
