import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SeedKeysFile } from '@mlops/auth';
import { ConfigError, Environment, loadConfig } from '@mlops/config';

const schema = z.object({
  /** JSON with the hashes of the admin and service keys the platform made (deploy/local/platform-keys.ts writes it). */
  MLOPS_GOVERNANCE_SEED_KEYS_FILE: z.string().min(1).optional(),
});

/** The keys to seed, or an empty file when none is configured; a file that cannot be read or parsed stops the service naming the variable. */
export function loadSeedKeys(env?: Environment): SeedKeysFile {
  const path = loadConfig(schema, env).MLOPS_GOVERNANCE_SEED_KEYS_FILE;
  if (path === undefined) return { keys: [] };
  const problem = (reason: string) => new ConfigError([{ variable: 'MLOPS_GOVERNANCE_SEED_KEYS_FILE', reason }]);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw problem(`cannot read ${path} as JSON: ${(err as Error).message}`);
  }
  const parsed = SeedKeysFile.safeParse(json);
  if (!parsed.success) {
    throw problem(`${path} is not a seed keys file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
