import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { generateApiKey, seedKeyOf } from '@mlops/auth';
import type { ApiKeyView, CreatedApiKey, PrincipalView } from '@mlops/contracts';
import { getJson, sendJson, ServiceProcess, testApiKey, waitFor } from '@mlops/testing';
import { runMlops } from './fixtures/mlops-cli';
import { localPostgresUrl } from '@mlops/config';

interface Refusal {
  statusCode: number;
  reason: string;
  message: string;
}

/**
 * Principals and keys through governance, seen by other services from governance's key topic alone: a new key
 * works everywhere, a revoked one stops working everywhere within 5 s, and governance never keeps a key.
 */
describe('API keys across services (governance, registry; real Kafka and Postgres)', () => {
  const seededAdmin = generateApiKey().apiKey;
  const suffix = randomUUID().slice(0, 8);
  let governance: ServiceProcess;
  let registry: ServiceProcess;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlops-seed-'));
    const seed = await seedKeyOf(seededAdmin, { name: `e2e-admin-${suffix}`, kind: 'person', roles: ['admin'] }, 'e2e seeded admin');
    writeFileSync(join(dir, 'seed.json'), JSON.stringify({ keys: [seed] }));
    [governance, registry] = await Promise.all([
      ServiceProcess.start('governance', { MLOPS_GOVERNANCE_SEED_KEYS_FILE: join(dir, 'seed.json') }),
      ServiceProcess.start('registry'),
    ]);
    await Promise.all([governance.waitUntilReady(), registry.waitUntilReady()]);
  });

  afterAll(async () => {
    // The database and broker outlive the test: its admin key goes, lest a stray seeded admin stay active.
    if (governance) await sendJson('DELETE', `${governance.url}/keys/${seededAdmin.slice(6, 22)}`, undefined, seededAdmin).catch(() => undefined);
    await Promise.all([governance?.stop(), registry?.stop()]);
  });

  it('seeds the admin key from its hash alone; the key works on every service', async () => {
    const listed = await waitFor('the seeded admin key to be accepted', async () => {
      const res = await getJson<{ items: PrincipalView[] }>(`${governance.url}/principals?name=e2e-admin-${suffix}`, seededAdmin);
      return res.status === 200 ? res.body.items : undefined;
    });
    expect(listed).toEqual([expect.objectContaining({ name: `e2e-admin-${suffix}`, roles: ['admin'], createdBy: 'platform-seed' })]);
    await waitFor('registry to accept the seeded key', async () => (await getJson(`${registry.url}/models`, seededAdmin)).status === 200);
  });

  it('names the field of a bad principal or key request', async () => {
    const res = await sendJson<{ message: string[] }>('POST', `${governance.url}/principals`, { name: `e2e-${suffix}-x`, roles: ['root'] });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([expect.stringMatching(/^body\.roles\.0: must be one of admin, data-scientist/)]);
    const key = await sendJson<{ message: string[] }>('POST', `${governance.url}/principals/${randomUUID()}/keys`, { expiresInDays: 0 });
    expect(key.status).toBe(400);
    expect(key.body.message[0]).toMatch(/^body\.expiresInDays: /);
    expect((await sendJson('POST', `${governance.url}/principals/${randomUUID()}/keys`, {})).status).toBe(404);
    expect((await sendJson('DELETE', `${governance.url}/keys/0123456789abcdef`)).status).toBe(404);
  });

  it('shows a key once, keeps only its hash, and a revoked key stops working on both services within 5 s', async () => {
    const principal = await sendJson<PrincipalView>('POST', `${governance.url}/principals`, { name: `e2e-carol-${suffix}`, roles: ['auditor'] });
    expect(principal.status).toBe(201);
    expect((await sendJson('POST', `${governance.url}/principals`, { name: `e2e-carol-${suffix}`, roles: ['auditor'] })).status).toBe(409);
    const created = await sendJson<CreatedApiKey>('POST', `${governance.url}/principals/${principal.body.id}/keys`, { expiresInDays: 1 });
    expect(created.status).toBe(201);
    const { apiKey, keyId } = created.body;
    expect(created.body).toMatchObject({ principalName: `e2e-carol-${suffix}`, roles: ['auditor'], status: 'active', createdBy: 'test-admin' });
    expect(Date.parse(created.body.expiresAt ?? '') - Date.now()).toBeGreaterThan(23 * 3600_000);

    const listed = await getJson<{ items: ApiKeyView[] }>(`${governance.url}/keys?principal=e2e-carol-${suffix}`);
    expect(listed.body.items.map((k) => k.keyId)).toEqual([keyId]);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey.slice(23));
    expect(await storedTextOf(keyId)).not.toContain(apiKey.slice(23));

    // An auditor may read the audit log and models, not manage keys.
    await waitFor('the new key to reach registry', async () => (await getJson(`${registry.url}/models`, apiKey)).status === 200);
    expect((await getJson(`${governance.url}/audit?limit=1`, apiKey)).status).toBe(200);
    const forbidden = await getJson<Refusal>(`${governance.url}/keys`, apiKey);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ reason: 'permission-denied', message: `e2e-carol-${suffix} (roles: auditor) is not granted keys:manage` });

    const revoked = await sendJson<ApiKeyView>('DELETE', `${governance.url}/keys/${keyId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: 'test-admin' });
    const refusedEverywhere = async () => {
      const answers = await Promise.all([getJson<Refusal>(`${registry.url}/models`, apiKey), getJson<Refusal>(`${governance.url}/audit?limit=1`, apiKey)]);
      return answers.every((res) => res.status === 401 && res.body.reason === 'revoked-key') ? answers : undefined;
    };
    const [onRegistry] = await waitFor('both services to refuse the revoked key', refusedEverywhere, { timeoutMs: 5000, intervalMs: 50 });
    expect(onRegistry.body.message).toBe(`API key ${keyId} was revoked at ${revoked.body.revokedAt}`);

    const again = await sendJson<ApiKeyView>('DELETE', `${governance.url}/keys/${keyId}`);
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expect((await getJson<{ items: ApiKeyView[] }>(`${governance.url}/keys?principal=e2e-carol-${suffix}&status=active`)).body.items).toEqual([]);
  });

  it('makes, lists and revokes keys from the CLI, which reads its key from MLOPS_API_KEY or the credentials file', async () => {
    const mlops = (args: string[], env: Record<string, string> = {}) => runMlops({ MLOPS_GOVERNANCE_URL: governance.url, MLOPS_REGISTRY_URL: registry.url, ...env }, args);
    const name = `e2e-dave-${suffix}`;
    const refused = await mlops(['keys', 'create', name], {});
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining(`principal ${name} does not exist: give --role to create it`) });

    const created = await mlops(['keys', 'create', name, '--role', 'data-scientist', '--expires-in-days', '7', '--description', 'laptop']);
    expect(created.code).toBe(0);
    const apiKey = /^ {2}(mlops_\S+)$/m.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toContain('This is the only time the key is shown');
    const listed = await mlops(['keys', 'list', '--principal', name]);
    expect(listed.stdout.split('\n')[0]).toMatch(/^KEY ID\s+PRINCIPAL\s+ROLES\s+STATUS\s+CREATED\s+EXPIRES\s+DESCRIPTION$/);
    expect(listed.stdout).toMatch(new RegExp(`${apiKey.slice(6, 22)}\\s+${name}\\s+data-scientist\\s+active`));

    const config = mkdtempSync(join(tmpdir(), 'mlops-config-'));
    mkdirSync(join(config, 'mlops'));
    writeFileSync(join(config, 'mlops', 'credentials'), `# dave's key\n${apiKey}\n`, { mode: 0o600 });
    const fromFile = { MLOPS_API_KEY: '', XDG_CONFIG_HOME: config };
    await waitFor('the new key to reach registry', async () => (await mlops(['models', 'list'], fromFile)).code === 0);
    const noKey = await mlops(['models', 'list'], { MLOPS_API_KEY: '', XDG_CONFIG_HOME: join(config, 'nothing') });
    expect(noKey.code).toBe(4);
    expect(noKey.stderr).toContain('models:read needs an API key');
    expect(noKey.stderr).toContain('the key comes from MLOPS_API_KEY or');

    const keyId = apiKey.slice(6, 22);
    const revoked = await mlops(['--json', 'keys', 'revoke', keyId]);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ keyId, status: 'revoked' });
    await waitFor('registry to refuse the revoked key', async () => (await mlops(['models', 'list'], fromFile)).code === 4, { timeoutMs: 5000 });
  });

  it('refuses calls without a key, naming the reason', async () => {
    const res = await getJson<Refusal>(`${registry.url}/models`, null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="mlops"');
    expect(res.body.reason).toBe('missing-key');
    expect((await getJson(`${registry.url}/models`, testApiKey('app'))).status).toBe(403);
  });
});

async function storedTextOf(keyId: string): Promise<string> {
  const pg = new Client({ connectionString: localPostgresUrl('admin') });
  await pg.connect();
  try {
    const { rows } = await pg.query('SELECT * FROM governance.api_keys WHERE key_id = $1', [keyId]);
    expect(rows).toHaveLength(1);
    return JSON.stringify(rows);
  } finally {
    await pg.end();
  }
}
