import { createHash } from 'node:crypto';
import { entityKeyOf } from '../definitions/entity-key';
import type { FeatureField, FeatureViewVersion } from '../definitions/feature-definitions';

export interface FeatureRow {
  viewName: string;
  viewVersion: number;
  entityKey: string;
  eventTime: Date;
  /** md5 of the record's bytes as a uuid: the offline dedupe key and the event-time tie-break. */
  recordHash: string;
  values: Record<string, string | number | boolean | null>;
}

export type Validation = { ok: true; row: FeatureRow } | { ok: false; reason: string };

// Beyond these, a typo (seconds for milliseconds) would open partitions for centuries nobody asked for.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

export function recordHash(bytes: Buffer): string {
  const hex = createHash('md5').update(bytes).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function readPath(record: unknown, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

export function parseEventTime(value: unknown): Date | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? new Date(ms) : null;
}

/** Checks a plain JSON record against one view version; the reason names the view, the field and what was wrong. */
export function validateRecord(view: FeatureViewVersion, bytes: Buffer, parsed?: unknown): Validation {
  const where = `feature view ${view.name} v${view.version}`;
  let record = parsed;
  if (record === undefined) {
    try {
      record = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      return { ok: false, reason: `${where}: record is not JSON: ${(err as Error).message}` };
    }
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    return { ok: false, reason: `${where}: record must be a JSON object` };
  }
  const source = view.definition.source;
  const key = entityKeyOf(view.joinKeys, (name) => readPath(record, source.entityKeyFields[name] ?? name));
  if ('reason' in key) return { ok: false, reason: `${where}: ${key.reason}` };
  const rawTime = readPath(record, source.eventTimeField);
  const eventTime = parseEventTime(rawTime);
  if (!eventTime) {
    return {
      ok: false,
      reason: `${where}: field ${source.eventTimeField} must be an ISO-8601 time with offset or epoch milliseconds (1970-2199), got ${JSON.stringify(rawTime)}`,
    };
  }
  const values: FeatureRow['values'] = {};
  for (const field of view.definition.schema) {
    const path = source.fieldMapping[field.name] ?? field.name;
    const checked = checkValue(field, readPath(record, path));
    if (typeof checked === 'object' && checked && 'reason' in checked) {
      return { ok: false, reason: `${where}: field ${path}: ${checked.reason}` };
    }
    values[field.name] = checked as string | number | boolean | null;
  }
  return {
    ok: true,
    row: { viewName: view.name, viewVersion: view.version, entityKey: key.key, eventTime, recordHash: recordHash(bytes), values },
  };
}

function checkValue(field: FeatureField, value: unknown): string | number | boolean | null | { reason: string } {
  if (value === undefined || value === null) return field.nullable ? null : { reason: `${field.name} is not nullable and is missing` };
  const typeOk =
    (field.type === 'int64' && typeof value === 'number' && Number.isSafeInteger(value)) ||
    (field.type === 'float64' && typeof value === 'number' && Number.isFinite(value)) ||
    (field.type === 'string' && typeof value === 'string') ||
    (field.type === 'bool' && typeof value === 'boolean');
  if (!typeOk) return { reason: `expected ${field.type}, got ${JSON.stringify(value)}` };
  const c = field.constraints;
  if (c && typeof value === 'number') {
    if (c.min !== undefined && value < c.min) return { reason: `${value} is below the minimum ${c.min}` };
    if (c.max !== undefined && value > c.max) return { reason: `${value} is above the maximum ${c.max}` };
  }
  if (c?.allowedValues && !c.allowedValues.includes(value as string | number | boolean)) {
    return { reason: `${JSON.stringify(value)} is not one of the allowed values ${JSON.stringify(c.allowedValues)}` };
  }
  return value as string | number | boolean;
}
