import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * The one text a JSON value hashes as: RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code
 * units, no whitespace, strings escaped and numbers written as ECMAScript's JSON.stringify does. Anyone can
 * recompute it from an exported entry with any JCS implementation.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('a value with no JSON representation cannot be canonicalized');
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
