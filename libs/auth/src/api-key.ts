import { randomBytes } from 'node:crypto';

/**
 * An API key as people and services hold it: `mlops_<keyId>_<secret>`. The key id is public (lists, logs,
 * revocation) and lets a service find the one stored hash to check; the secret is 32 random bytes, base64url.
 */
export interface ApiKeyParts {
  keyId: string;
  secret: string;
}

const PREFIX = 'mlops_';
const KEY_ID = /^[0-9a-f]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

export function generateApiKey(): ApiKeyParts & { apiKey: string } {
  return apiKeyOf({ keyId: randomBytes(8).toString('hex'), secret: randomBytes(32).toString('base64url') });
}

/** The key text of given parts, e.g. for keys derived deterministically in tests. */
export function apiKeyOf(parts: ApiKeyParts): ApiKeyParts & { apiKey: string } {
  if (!KEY_ID.test(parts.keyId) || !SECRET.test(parts.secret)) throw new Error('not the parts of an mlops API key');
  return { ...parts, apiKey: `${PREFIX}${parts.keyId}_${parts.secret}` };
}

/** The parts of a key, or undefined when the text is not shaped like one (the secret may itself hold "_"). */
export function parseApiKey(text: string): ApiKeyParts | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const keyId = text.slice(PREFIX.length, PREFIX.length + 16);
  const secret = text.slice(PREFIX.length + 17);
  if (text[PREFIX.length + 16] !== '_' || !KEY_ID.test(keyId) || !SECRET.test(secret)) return undefined;
  return { keyId, secret };
}

/** The header value a client sends. */
export function bearer(apiKey: string): { authorization: string } {
  return { authorization: `Bearer ${apiKey}` };
}
