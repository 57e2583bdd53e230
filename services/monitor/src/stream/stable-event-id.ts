import { createHash } from 'node:crypto';

/**
 * A UUID (version 5 layout) derived from what the event is about, e.g. `drift:<windowId>`: a window evaluated again
 * after a crash produces the same event id, so downstream deduplication holds even across the monitor's restarts.
 */
export function stableEventId(name: string): string {
  const hex = createHash('sha1').update(`mlops-monitor:${name}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
