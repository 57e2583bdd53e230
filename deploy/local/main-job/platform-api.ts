// The running platform's HTTP APIs as the main job calls them: each service's typed client with the caller's key,
// polling, and the keys the job makes for itself with the admin key (and revokes at the end).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CreatedApiKey,
  createHttpClient,
  featureStoreRoutes,
  governanceRoutes,
  inferenceGatewayRoutes,
  monitorRoutes,
  registryRoutes,
  type Role,
  trainerRoutes,
} from '@mlops/contracts';

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

/** Every service's typed client, with the scientist's key (made at the start of the job) unless another is named. */
export function platform(apiKey = keys.scientist) {
  return {
    featureStore: createHttpClient(featureStoreRoutes, { baseUrl: URL.featureStore, apiKey }),
    trainer: createHttpClient(trainerRoutes, { baseUrl: URL.trainer, apiKey }),
    registry: createHttpClient(registryRoutes, { baseUrl: URL.registry, apiKey }),
    governance: createHttpClient(governanceRoutes, { baseUrl: URL.governance, apiKey }),
    monitor: createHttpClient(monitorRoutes, { baseUrl: URL.monitor, apiKey }),
    gateway: createHttpClient(inferenceGatewayRoutes, { baseUrl: URL.gateway, apiKey }),
  };
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
  const api = platform();
  const reads = () => [api.featureStore.listEntities(), api.trainer.listRuns({ query: { limit: 1 } }), api.registry.searchModels({ query: { limit: 1 } }), api.monitor.getPolicy({ params: { name: 'x' } })];
  await poll('every service to accept the job key', async () => ((await Promise.all(reads())) ? true : undefined), 30);
  return made;
}

export async function revokeKeys(made: CreatedApiKey[]): Promise<void> {
  for (const key of made) await governanceAsAdmin.revokeApiKey({ params: { keyId: key.keyId } });
}
