import type { FeatureViewVersion } from './feature-definitions';

export type JoinKeys = FeatureViewVersion['joinKeys'];

/**
 * The text a (possibly composite) entity is stored under: the value itself for one join key, a JSON array of the
 * values in join-key order for several. Returns a reason instead when a value is missing or of the wrong type.
 */
export function entityKeyOf(joinKeys: JoinKeys, valueOf: (joinKey: string) => unknown): { key: string } | { reason: string } {
  const parts: string[] = [];
  for (const joinKey of joinKeys) {
    const value = valueOf(joinKey.name);
    if (value === undefined || value === null || value === '') return { reason: `join key ${joinKey.name} is missing` };
    if (joinKey.type === 'int64') {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' && /^-?\d+$/.test(value) ? value : null;
      if (text === null) return { reason: `join key ${joinKey.name} must be an int64, got ${JSON.stringify(value)}` };
      parts.push(text);
    } else {
      if (typeof value !== 'string') return { reason: `join key ${joinKey.name} must be a string, got ${JSON.stringify(value)}` };
      parts.push(value);
    }
  }
  return { key: parts.length === 1 ? parts[0] : JSON.stringify(parts) };
}
