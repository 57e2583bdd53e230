import { z } from 'zod';
import { ApiKeyId, PrincipalKind, PrincipalName, RoleName, ScryptHash } from '@mlops/contracts';
import { parseApiKey } from './api-key';
import { hashSecret } from './secret-hash';

/**
 * Keys governance creates at start from their hashes alone: the operator's tooling (deploy/local/platform, a
 * Helm hook) generates the admin key and every service's key, keeps the keys, and hands governance this file.
 */
export const SeedKey = z.object({
  principal: z.object({ name: PrincipalName, kind: PrincipalKind, roles: z.array(RoleName).min(1) }),
  keyId: ApiKeyId,
  secretHash: ScryptHash,
  description: z.string(),
});

export const SeedKeysFile = z.object({ keys: z.array(SeedKey) });

export type SeedKey = z.infer<typeof SeedKey>;
export type SeedKeysFile = z.infer<typeof SeedKeysFile>;

/** The seed of a key the tooling generated: its hash, never the key. */
export async function seedKeyOf(apiKey: string, principal: SeedKey['principal'], description: string): Promise<SeedKey> {
  const parts = parseApiKey(apiKey);
  if (!parts) throw new Error(`not an mlops API key: ${apiKey.slice(0, 6)}…`);
  return { principal, keyId: parts.keyId, secretHash: await hashSecret(parts.secret), description };
}
