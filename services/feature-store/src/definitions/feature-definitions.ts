import { z } from 'zod';

const Name = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a lowercase letter and hold only a-z, 0-9 and _ (at most 63)');

export const FEATURE_TYPES = ['int64', 'float64', 'string', 'bool'] as const;
export const FeatureType = z.enum(FEATURE_TYPES);
export type FeatureType = z.infer<typeof FeatureType>;

export const JOIN_KEY_TYPES = ['int64', 'string'] as const;

export const EntityDefinition = z
  .strictObject({
    name: Name,
    joinKeys: z.array(z.strictObject({ name: Name, type: z.enum(JOIN_KEY_TYPES) })).min(1),
    description: z.string().default(''),
  })
  .superRefine((entity, ctx) => {
    // A key built from [a, a] would name one value twice, and a record could not say which type it must have.
    const names = entity.joinKeys.map((k) => k.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['joinKeys', i, 'name'], message: `join key ${name} is declared twice` });
    });
  });
export type EntityDefinition = z.infer<typeof EntityDefinition>;

const Constraints = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    allowedValues: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
  })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max');

export const FeatureField = z.strictObject({
  name: Name,
  type: FeatureType,
  nullable: z.boolean().default(true),
  constraints: Constraints.optional(),
});
export type FeatureField = z.infer<typeof FeatureField>;

const FieldPath = z.string().min(1).max(200);

export const FeatureViewDefinition = z
  .strictObject({
    name: Name,
    entities: z.array(Name).min(1),
    source: z.strictObject({
      topic: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, 'must be a valid Kafka topic name'),
      /** join key -> record field (dotted path); a join key missing here is read from the field of its own name. */
      entityKeyFields: z.record(z.string(), FieldPath).default({}),
      eventTimeField: FieldPath,
      /** feature -> record field (dotted path); a feature missing here is read from the field of its own name. */
      fieldMapping: z.record(z.string(), FieldPath).default({}),
    }),
    schema: z.array(FeatureField).min(1),
    ttlSeconds: z.number().int().positive(),
    owner: z.string().min(1),
    tags: z.record(z.string(), z.string()).default({}),
    description: z.string().default(''),
  })
  .superRefine((view, ctx) => {
    const names = view.schema.map((f) => f.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) ctx.addIssue({ code: 'custom', path: ['schema'], message: `feature ${duplicate} is declared twice` });
    for (const mapped of Object.keys(view.source.fieldMapping)) {
      if (!names.includes(mapped)) {
        ctx.addIssue({ code: 'custom', path: ['source', 'fieldMapping', mapped], message: `maps ${mapped}, which is not in schema` });
      }
    }
  });
export type FeatureViewDefinition = z.infer<typeof FeatureViewDefinition>;

export const DefinitionFile = z.strictObject({
  entities: z.array(EntityDefinition).default([]),
  featureViews: z.array(FeatureViewDefinition).default([]),
});
export type DefinitionFile = z.infer<typeof DefinitionFile>;

/** A stored version of a view: the definition plus the join keys of its entities, resolved when it was applied. */
export interface FeatureViewVersion {
  name: string;
  version: number;
  definition: FeatureViewDefinition;
  joinKeys: { name: string; type: (typeof JOIN_KEY_TYPES)[number] }[];
  schemaHash: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * What a new version is made of: a change to any of it would make old readers or stored values mean something
 * else. Owner, tags, description and TTL are metadata and change in place.
 */
export function versionedPart(view: FeatureViewDefinition): unknown {
  return { entities: view.entities, source: view.source, schema: view.schema };
}

/** JSON with sorted object keys, so equal definitions give equal text whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Describes zod issues as `path: reason` so an HTTP 400 names the field. */
export function describeIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(body)'}: ${issue.message}`;
  });
}
