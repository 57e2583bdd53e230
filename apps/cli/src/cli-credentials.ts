import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '@mlops/config';

const schema = z.object({
  MLOPS_API_KEY: z.string().optional(),
  XDG_CONFIG_HOME: z.string().optional(),
});

/** Where a key lives when MLOPS_API_KEY is not set. */
export function credentialsFile(env?: Record<string, string | undefined>): string {
  return join(loadConfig(schema, env).XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'mlops', 'credentials');
}

/**
 * The caller's API key: MLOPS_API_KEY, else the first line of the credentials file that is not blank or a
 * `#` comment. Undefined when neither holds one: services then answer 401 and the CLI says where a key goes.
 */
export function loadApiKey(env?: Record<string, string | undefined>): string | undefined {
  const fromEnv = loadConfig(schema, env).MLOPS_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  let text: string;
  try {
    text = readFileSync(credentialsFile(env), 'utf8');
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('#'));
}
