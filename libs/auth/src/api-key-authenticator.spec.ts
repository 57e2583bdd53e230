import { randomUUID } from 'node:crypto';
import { generateApiKey } from './api-key';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import { KeyDirectory, KeyRecord } from './key-directory';
import type { Role } from './permissions';
import { hashSecret, secretMatches } from './secret-hash';

const CHEAP = { N: 1024, r: 8, p: 1 };
const NOW = Date.parse('2026-06-01T00:00:00Z');

async function issued(roles: Role[], overrides: Partial<KeyRecord> = {}) {
  const key = generateApiKey();
  const record: KeyRecord = {
    keyId: key.keyId,
    principal: { id: randomUUID(), name: 'alice', kind: 'person', roles },
    secretHash: await hashSecret(key.secret, CHEAP),
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: '2026-12-31T00:00:00Z',
    revokedAt: null,
    changedBy: 'admin',
    ...overrides,
  };
  return { key, record, header: `Bearer ${key.apiKey}` };
}

function loadedDirectory(...records: KeyRecord[]): KeyDirectory {
  const directory = new KeyDirectory();
  for (const record of records) directory.apply(record);
  directory.markLoaded();
  return directory;
}

describe('ApiKeyAuthenticator', () => {
  it('accepts a key whose role grants the permission and names the principal', async () => {
    const { record, header } = await issued(['data-scientist']);
    const auth = new ApiKeyAuthenticator(loadedDirectory(record), { now: () => NOW });
    await expect(auth.authenticate(header, 'models:write')).resolves.toEqual({
      ok: true,
      principal: { id: record.principal.id, name: 'alice', roles: ['data-scientist'], keyId: record.keyId },
    });
  });

  it('answers 403 naming the roles and the permission when no role grants it', async () => {
    const { record, header } = await issued(['auditor']);
    const auth = new ApiKeyAuthenticator(loadedDirectory(record), { now: () => NOW });
    await expect(auth.authenticate(header, 'models:write')).resolves.toMatchObject({
      ok: false,
      status: 403,
      reason: 'permission-denied',
      message: 'alice (roles: auditor) is not granted models:write',
    });
  });

  it.each([
    ['missing-key', undefined],
    ['malformed-authorization', 'Basic dXNlcjpwYXNz'],
    ['malformed-authorization', 'Bearer not-a-key'],
    ['unknown-key', `Bearer ${generateApiKey().apiKey}`],
  ])('answers 401 %s', async (reason, header) => {
    const auth = new ApiKeyAuthenticator(loadedDirectory(), { now: () => NOW });
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ ok: false, status: 401, reason });
  });

  it('answers 401 for a known key id with another secret', async () => {
    const { record, key } = await issued(['admin']);
    const forged = `Bearer mlops_${key.keyId}_${'x'.repeat(43)}`;
    const scrypt = jest.fn(secretMatches);
    const auth = new ApiKeyAuthenticator(loadedDirectory(record), { now: () => NOW, checkSecret: scrypt });
    await expect(auth.authenticate(forged, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'unknown-key' });
    await expect(auth.authenticate(`Bearer ${key.apiKey}`, 'models:read')).resolves.toMatchObject({ ok: true });
    // Once the real secret is verified, a forged one is refused by the cached digest alone.
    scrypt.mockClear();
    await expect(auth.authenticate(forged, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'unknown-key' });
    expect(scrypt).not.toHaveBeenCalled();
  });

  it('answers 401 expired-key once the expiry has passed', async () => {
    const { record, header } = await issued(['admin'], { expiresAt: '2026-06-01T00:00:00Z' });
    let now = NOW - 1;
    const auth = new ApiKeyAuthenticator(loadedDirectory(record), { now: () => now });
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ ok: true });
    now = NOW;
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'expired-key' });
  });

  it('runs scrypt once per key, and stops accepting the key as soon as its revocation arrives', async () => {
    const { record, header } = await issued(['admin']);
    const directory = loadedDirectory(record);
    const scrypt = jest.fn(secretMatches);
    const auth = new ApiKeyAuthenticator(directory, { now: () => NOW, checkSecret: scrypt });
    const first = await Promise.all([1, 2, 3].map(() => auth.authenticate(header, 'models:read')));
    expect(first.every((outcome) => outcome.ok)).toBe(true);
    await auth.authenticate(header, 'keys:manage');
    expect(scrypt).toHaveBeenCalledTimes(1);
    directory.apply({ ...record, revokedAt: '2026-05-31T00:00:00Z' });
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'revoked-key' });
  });

  it('keeps a revoked key revoked when an earlier state of it is replayed', async () => {
    const { record, header } = await issued(['admin']);
    const directory = loadedDirectory({ ...record, revokedAt: '2026-05-31T00:00:00Z' });
    directory.apply(record);
    const auth = new ApiKeyAuthenticator(directory, { now: () => NOW });
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'revoked-key' });
  });

  it('answers 503 until the directory has loaded what the topic held at start', async () => {
    const { record, header } = await issued(['admin']);
    const directory = new KeyDirectory();
    directory.apply(record);
    const auth = new ApiKeyAuthenticator(directory, { now: () => NOW });
    await expect(auth.authenticate(header, 'models:read')).resolves.toMatchObject({ status: 503, reason: 'keys-loading' });
  });

  it('lets callers without a key use a permission the deployment leaves open, and still checks a key given', async () => {
    const auth = new ApiKeyAuthenticator(loadedDirectory(), { anonymous: ['inference:call'], now: () => NOW });
    await expect(auth.authenticate(undefined, 'inference:call')).resolves.toEqual({ ok: true, principal: null });
    await expect(auth.authenticate(undefined, 'models:read')).resolves.toMatchObject({ status: 401, reason: 'missing-key' });
    await expect(auth.authenticate(`Bearer ${generateApiKey().apiKey}`, 'inference:call')).resolves.toMatchObject({ status: 401 });
  });
});
