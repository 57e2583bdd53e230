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

export function parseEventTime(value: unknown): Date | null {
  let ms: number;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value;
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(value)) ms = Date.parse(value);
  else return null;
  return Number.isFinite(ms) && ms >= EARLIEST && ms < LATEST ? new Date(ms) : null;
}

/** Checks a parsed record against one view version; `hash` gives the record's hash, asked only when it is accepted. */
export type RecordCheck = (record: unknown, hash: () => string) => Validation;

const compiled = new WeakMap<FeatureViewVersion, RecordCheck>();

/**
 * The check of one view version, built once: field paths split, type tests and constraints chosen per field, so
 * a record costs property reads and comparisons only. Versions are immutable, so the cache never goes stale.
 */
export function recordCheckOf(view: FeatureViewVersion): RecordCheck {
  let check = compiled.get(view);
  if (!check) {
    check = compileRecordCheck(view);
    compiled.set(view, check);
  }
  return check;
}

/** Checks a plain JSON record against one view version; the reason names the view, the field and what was wrong. */
export function validateRecord(view: FeatureViewVersion, bytes: Buffer, parsed?: unknown): Validation {
  let record = parsed;
  if (record === undefined) {
    const json = parseRecord(bytes);
    if ('reason' in json) return { ok: false, reason: `feature view ${view.name} v${view.version}: ${json.reason}` };
    record = json.record;
  }
  return recordCheckOf(view)(record, () => recordHash(bytes));
}

/** JSON of a record's bytes, or why it is not JSON; parsed once however many views read the topic. */
export function parseRecord(bytes: Buffer): { record: unknown } | { reason: string } {
  try {
    return { record: JSON.parse(bytes.toString('utf8')) };
  } catch (err) {
    return { reason: `record is not JSON: ${(err as Error).message}` };
  }
}

type Path = (record: unknown) => unknown;

function compilePath(path: string): Path {
  const parts = path.split('.');
  if (parts.length === 1) {
    const [name] = parts;
    return (record) => (record as Record<string, unknown>)[name];
  }
  return (record) => {
    let current = record;
    for (const part of parts) {
      if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
      current = (current as Record<string, unknown>)[part];
    }
    return current;
  };
}

function compileRecordCheck(view: FeatureViewVersion): RecordCheck {
  const where = `feature view ${view.name} v${view.version}`;
  const source = view.definition.source;
  const keyPaths = new Map(view.joinKeys.map((k) => [k.name, compilePath(source.entityKeyFields[k.name] ?? k.name)]));
  const timePath = compilePath(source.eventTimeField);
  const fields = view.definition.schema.map((field) => {
    const path = source.fieldMapping[field.name] ?? field.name;
    return { name: field.name, path, read: compilePath(path), check: compileValueCheck(field) };
  });
  return (record, hash) => {
    if (!record || typeof record !== 'object' || Array.isArray(record)) return { ok: false, reason: `${where}: record must be a JSON object` };
    const key = entityKeyOf(view.joinKeys, (name) => (keyPaths.get(name) as Path)(record));
    if ('reason' in key) return { ok: false, reason: `${where}: ${key.reason}` };
    const rawTime = timePath(record);
    const eventTime = parseEventTime(rawTime);
    if (!eventTime) {
      return {
        ok: false,
        reason: `${where}: field ${source.eventTimeField} must be an ISO-8601 time with offset or epoch milliseconds (1970-2199), got ${JSON.stringify(rawTime)}`,
      };
    }
    const values: FeatureRow['values'] = {};
    for (const field of fields) {
      const value = field.read(record);
      const problem = field.check(value);
      if (problem !== null) return { ok: false, reason: `${where}: field ${field.path}: ${problem}` };
      values[field.name] = value === undefined ? null : (value as string | number | boolean | null);
    }
    return { ok: true, row: { viewName: view.name, viewVersion: view.version, entityKey: key.key, eventTime, recordHash: hash(), values } };
  };
}

/** The reason a value does not fit the field, or null when it does (a missing nullable value fits). */
function compileValueCheck(field: FeatureField): (value: unknown) => string | null {
  const typeOk: (value: unknown) => boolean = {
    int64: (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v),
    float64: (v: unknown) => typeof v === 'number' && Number.isFinite(v),
    string: (v: unknown) => typeof v === 'string',
    bool: (v: unknown) => typeof v === 'boolean',
  }[field.type];
  const c = field.constraints;
  const allowed = c?.allowedValues ? new Set<unknown>(c.allowedValues) : null;
  const min = c?.min;
  const max = c?.max;
  return (value) => {
    if (value === undefined || value === null) return field.nullable ? null : `${field.name} is not nullable and is missing`;
    if (!typeOk(value)) return `expected ${field.type}, got ${JSON.stringify(value)}`;
    if (typeof value === 'number') {
      if (min !== undefined && value < min) return `${value} is below the minimum ${min}`;
      if (max !== undefined && value > max) return `${value} is above the maximum ${max}`;
    }
    if (allowed && !allowed.has(value)) return `${JSON.stringify(value)} is not one of the allowed values ${JSON.stringify(c?.allowedValues)}`;
    return null;
  };
}
