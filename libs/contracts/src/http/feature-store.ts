import { z } from 'zod';
import { IsoTime, ObjectUri, Sha256, Uuid } from '../common';
import { defineRoutes, type HttpApi, itemsOf } from './route';

const Name = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must start with a lowercase letter and hold only a-z, 0-9 and _ (at most 63)');

export const FEATURE_TYPES = ['int64', 'float64', 'string', 'bool'] as const;
export const FeatureType = z.enum(FEATURE_TYPES);
export const JOIN_KEY_TYPES = ['int64', 'string'] as const;
const JoinKey = z.strictObject({ name: Name, type: z.enum(JOIN_KEY_TYPES) });

export const EntityDefinition = z
  .strictObject({ name: Name, joinKeys: z.array(JoinKey).min(1), description: z.string().default('') })
  .superRefine((entity, ctx) => {
    // A key built from [a, a] would name one value twice, and a record could not say which type it must have.
    const names = entity.joinKeys.map((k) => k.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) ctx.addIssue({ code: 'custom', path: ['joinKeys', i, 'name'], message: `join key ${name} is declared twice` });
    });
  });

const Constraints = z
  .strictObject({
    min: z.number().optional(),
    max: z.number().optional(),
    allowedValues: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
  })
  .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max');

export const FeatureField = z.strictObject({ name: Name, type: FeatureType, nullable: z.boolean().default(true), constraints: Constraints.optional() });

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
      if (!names.includes(mapped)) ctx.addIssue({ code: 'custom', path: ['source', 'fieldMapping', mapped], message: `maps ${mapped}, which is not in schema` });
    }
  });

/** `POST /plan`, `POST /apply`: a definitions file, like `feast apply`'s. */
export const DefinitionFile = z.strictObject({
  entities: z.array(EntityDefinition).default([]),
  featureViews: z.array(FeatureViewDefinition).default([]),
});

/** A stored version of a view: the definition plus the join keys of its entities, resolved when it was applied. */
export const FeatureViewVersion = z.object({
  name: z.string(),
  version: z.number().int().positive(),
  definition: FeatureViewDefinition,
  joinKeys: z.array(z.object({ name: z.string(), type: z.enum(JOIN_KEY_TYPES) })),
  schemaHash: Sha256,
  createdAt: IsoTime,
  updatedAt: IsoTime,
});

export const PlannedChange = z.object({
  kind: z.enum(['entity', 'feature-view']),
  name: z.string(),
  action: z.enum(['create', 'update', 'new-version', 'unchanged']),
  /** The version the view has after applying (views only). */
  version: z.number().int().positive().optional(),
  /** `path: before -> after` for each changed field. */
  diff: z.array(z.string()),
});

export const DefinitionPlan = z.object({
  changes: z.array(PlannedChange),
  /** Problems that make the file inapplicable, each naming its field. */
  errors: z.array(z.string()),
});

/** `POST /online-features` (and the gRPC read): values of features for entities, newest first. */
export const OnlineFeaturesRequest = z.strictObject({
  entities: z.array(z.record(z.string(), z.union([z.string(), z.number()]))).min(1).max(1000),
  features: z.array(z.string()).min(1).max(1000),
});

export const FeatureStatus = z.enum(['PRESENT', 'NOT_FOUND', 'EXPIRED']);
export const OnlineFeatureValue = z.object({
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  status: FeatureStatus,
  eventTime: IsoTime.nullable(),
});
export const OnlineFeaturesResult = z.object({
  results: z.array(z.object({ entity: z.record(z.string(), z.unknown()), features: z.record(z.string(), OnlineFeatureValue) })),
});

export const LABEL_TYPES = ['float64', 'int64', 'string', 'bool'] as const;

/** `POST /datasets`: a point-in-time correct training set for labelled entity rows given one of three ways. */
export const DatasetRequest = z
  .strictObject({
    features: z.array(z.string()).min(1),
    entityRows: z.array(z.record(z.string(), z.unknown())).min(1).optional(),
    entitySource: z
      .strictObject({
        uri: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, 'must be s3://<bucket>/<key> of a CSV with a header row'),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters: the label set is pinned by content'),
      })
      .optional(),
    labelFeature: z
      .strictObject({ ref: z.string().min(1), from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() })
      .optional(),
    timestampField: z.string().min(1).default('event_timestamp'),
    labelField: z.string().min(1).default('label'),
    labelType: z.enum(LABEL_TYPES).default('float64'),
  })
  .refine((b) => [b.entityRows, b.entitySource, b.labelFeature].filter((source) => source !== undefined).length === 1, {
    message: "give exactly one of entityRows (inline), entitySource (a CSV in object storage) or labelFeature (a feature's history as the labels)",
    path: ['entityRows'],
  });

/** A dataset as built: Parquet in mlops-datasets with its sha256, rows, schema, views and time range. */
export const DatasetSnapshot = z.object({
  snapshotId: Uuid,
  uri: ObjectUri,
  sha256: Sha256,
  sizeBytes: z.number().int().nonnegative(),
  rows: z.number().int().nonnegative(),
  schema: z.array(z.object({ name: z.string(), type: z.string() })),
  featureViews: z.array(z.object({ name: z.string(), version: z.number().int().positive() })),
  timeRange: z.object({ from: IsoTime, to: IsoTime }),
  createdAt: IsoTime,
});

/** `POST /feature-views/{name}/backfill`: history from a file pinned by content. */
export const BackfillRequest = z.strictObject({
  uri: z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, 'must be s3://<bucket>/<key>'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters: the file is pinned by content'),
  format: z.enum(['csv', 'parquet']),
});

export const BackfillResult = z.object({
  view: z.string(),
  version: z.number().int().positive(),
  rows: z.number().int().nonnegative(),
  written: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  /** The first rejections, by row number (1 = first data row). */
  rejections: z.array(z.object({ row: z.number().int().positive(), reason: z.string() })),
});

const NamePath = z.object({ name: z.string().min(1) });
const definitionErrors = { 400: 'Each invalid field with the reason, or a definition that cannot be applied' } as const;

export const featureStoreRoutes = defineRoutes({
  plan: {
    method: 'post',
    path: '/plan',
    summary: 'What applying the definitions would change, with a diff per object, and any errors',
    tag: 'definitions',
    access: { permission: 'features:read' },
    body: DefinitionFile,
    status: 200,
    response: DefinitionPlan,
  },
  apply: {
    method: 'post',
    path: '/apply',
    summary: 'Apply a definitions file; views whose schema or source changed get a new version',
    tag: 'definitions',
    access: { permission: 'features:write' },
    body: DefinitionFile,
    status: 200,
    response: DefinitionPlan,
    errors: definitionErrors,
  },
  putEntity: {
    method: 'post',
    path: '/entities',
    summary: 'Create or update an entity',
    tag: 'definitions',
    access: { permission: 'features:write' },
    body: EntityDefinition,
    status: 200,
    response: DefinitionPlan,
    errors: definitionErrors,
  },
  listEntities: {
    method: 'get',
    path: '/entities',
    summary: 'Every entity',
    tag: 'definitions',
    access: { permission: 'features:read' },
    status: 200,
    response: itemsOf(EntityDefinition),
  },
  getEntity: {
    method: 'get',
    path: '/entities/{name}',
    summary: 'One entity',
    tag: 'definitions',
    access: { permission: 'features:read' },
    params: NamePath,
    status: 200,
    response: EntityDefinition,
    errors: { 404: 'No such entity' },
  },
  putFeatureView: {
    method: 'post',
    path: '/feature-views',
    summary: 'Create a view, update it in place (metadata) or give it a new version (schema/source)',
    tag: 'definitions',
    access: { permission: 'features:write' },
    body: FeatureViewDefinition,
    status: 200,
    response: DefinitionPlan,
    errors: definitionErrors,
  },
  listFeatureViews: {
    method: 'get',
    path: '/feature-views',
    summary: 'The newest version of every feature view',
    tag: 'definitions',
    access: { permission: 'features:read' },
    status: 200,
    response: itemsOf(FeatureViewVersion),
  },
  getFeatureView: {
    method: 'get',
    path: '/feature-views/{name}',
    summary: 'The newest version of the view, or the one asked for',
    tag: 'definitions',
    access: { permission: 'features:read' },
    params: NamePath,
    query: z.object({ version: z.string().regex(/^[1-9]\d{0,8}$/, 'must be a whole number of at least 1').transform(Number).optional() }),
    status: 200,
    response: FeatureViewVersion,
    errors: { 404: 'No such view or version' },
  },
  listFeatureViewVersions: {
    method: 'get',
    path: '/feature-views/{name}/versions',
    summary: 'Every version of the view, oldest first',
    tag: 'definitions',
    access: { permission: 'features:read' },
    params: NamePath,
    status: 200,
    response: itemsOf(FeatureViewVersion),
    errors: { 404: 'No such view' },
  },
  backfill: {
    method: 'post',
    path: '/feature-views/{name}/backfill',
    summary: 'Rows of a file written to the online and offline stores, and the rows rejected with their reasons',
    tag: 'definitions',
    access: { permission: 'features:write' },
    params: NamePath,
    body: BackfillRequest,
    status: 200,
    response: BackfillResult,
    errors: { 400: 'No such view, a changed or missing file, or an unreadable one' },
  },
  buildDataset: {
    method: 'post',
    path: '/datasets',
    summary: 'Build a point-in-time correct dataset snapshot: Parquet in mlops-datasets with its sha256',
    tag: 'datasets',
    access: { permission: 'training:write' },
    body: DatasetRequest,
    status: 201,
    response: DatasetSnapshot,
    errors: { 400: 'An unknown feature, a missing join key or a malformed label row, named' },
  },
  readOnline: {
    method: 'post',
    path: '/online-features',
    summary: 'Per entity, each feature with its value and status PRESENT, NOT_FOUND or EXPIRED',
    tag: 'online',
    access: { permission: 'features:read' },
    body: OnlineFeaturesRequest,
    status: 200,
    response: OnlineFeaturesResult,
    errors: { 400: 'An invalid field, an unknown feature ref or a missing join key, named', 413: 'A body over 100 kB', 415: 'A body that is not JSON' },
  },
});

export const featureStoreApi: HttpApi<typeof featureStoreRoutes> = {
  title: 'mlops feature-store',
  description: 'Entities, feature views, streaming ingestion, online values with TTL and point-in-time correct training datasets.',
  routes: featureStoreRoutes,
};

export type FeatureType = z.infer<typeof FeatureType>;
export type EntityDefinition = z.infer<typeof EntityDefinition>;
export type FeatureField = z.infer<typeof FeatureField>;
export type FeatureViewDefinition = z.infer<typeof FeatureViewDefinition>;
export type DefinitionFile = z.infer<typeof DefinitionFile>;
export type FeatureViewVersion = z.infer<typeof FeatureViewVersion>;
export type PlannedChange = z.infer<typeof PlannedChange>;
export type DefinitionPlan = z.infer<typeof DefinitionPlan>;
export type OnlineFeaturesRequest = z.output<typeof OnlineFeaturesRequest>;
export type FeatureStatus = z.infer<typeof FeatureStatus>;
export type OnlineFeatureValue = z.infer<typeof OnlineFeatureValue>;
export type OnlineFeaturesResult = z.infer<typeof OnlineFeaturesResult>;
export type DatasetRequest = z.output<typeof DatasetRequest>;
export type DatasetSnapshot = z.infer<typeof DatasetSnapshot>;
export type BackfillRequest = z.infer<typeof BackfillRequest>;
export type BackfillResult = z.infer<typeof BackfillResult>;
