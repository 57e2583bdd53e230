import { createHash, randomBytes, scrypt, ScryptOptions, timingSafeEqual } from 'node:crypto';
import type { ScryptHash } from '@mlops/contracts';

const DIGEST_BYTES = 32;

/** scrypt's recommended interactive cost (2^14, 8, 1): about 16 MiB and tens of milliseconds per check. */
export const KEY_HASH_COST = { N: 16384, r: 8, p: 1 } as const;

export type ScryptCost = { N: number; r: number; p: number };

function scryptDigest(secret: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, DIGEST_BYTES, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A salted scrypt hash of a key's secret; `salt` is given only where the hash must be reproducible (tests). */
export async function hashSecret(secret: string, cost: ScryptCost = KEY_HASH_COST, salt: Buffer = randomBytes(16)): Promise<ScryptHash> {
  const digest = await scryptDigest(secret, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), digest: digest.toString('base64') };
}

/** Runs scrypt on the thread pool, so a check never blocks the event loop. */
export async function secretMatches(secret: string, hash: ScryptHash): Promise<boolean> {
  const expected = Buffer.from(hash.digest, 'base64');
  const actual = await scryptDigest(secret, Buffer.from(hash.salt, 'base64'), hash);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** What a verified secret is remembered by: a fast digest, compared in constant time on later requests. */
export function fastDigest(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
