import type { FeatureValue, OnlineFeaturesResult } from './online-features';

// JSON text of each feature ref as an object key, kept across requests: callers ask for the same few refs again
// and again. Bounded, so a caller inventing refs cannot grow it without limit.
const MAX_CACHED_KEYS = 10_000;
const keyPrefixes = new Map<string, string>();

function keyPrefix(ref: string): string {
  let prefix = keyPrefixes.get(ref);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(ref)}:{"value":`;
    if (keyPrefixes.size < MAX_CACHED_KEYS) keyPrefixes.set(ref, prefix);
  }
  return prefix;
}

/**
 * The same text as JSON.stringify(result), built from pieces that repeat: the key of each ref, and the status and
 * event time every feature of one stored row shares. A 100-entity answer holds a thousand such values, and the
 * generic serializer spent more CPU on them than the read itself.
 */
export function onlineFeaturesJson(result: OnlineFeaturesResult): string {
  let out = '{"results":[';
  let lastStatus: FeatureValue['status'] | null = null;
  let lastTime: string | null | undefined;
  let tail = '';
  for (let i = 0; i < result.results.length; i++) {
    const row = result.results[i];
    out += `${i === 0 ? '' : ','}{"entity":${JSON.stringify(row.entity)},"features":{`;
    let first = true;
    for (const ref in row.features) {
      const v = row.features[ref];
      if (v.status !== lastStatus || v.eventTime !== lastTime) {
        lastStatus = v.status;
        lastTime = v.eventTime;
        tail = `,"status":"${v.status}","eventTime":${v.eventTime === null ? 'null' : JSON.stringify(v.eventTime)}}`;
      }
      out += `${first ? '' : ','}${keyPrefix(ref)}${v.value === null ? 'null' : JSON.stringify(v.value)}${tail}`;
      first = false;
    }
    out += '}}';
  }
  return `${out}]}`;
}
