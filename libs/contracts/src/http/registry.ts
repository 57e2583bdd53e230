import { z } from 'zod';
import { Artifact, IsoTime, Metrics, ModelName, ModelSignature, Params, RiskTier, Sha256, VersionNumber } from '../common';
import { DeploymentChanged } from '../events/registry';
import { IsoTimeText, wholeNumberText } from './query-text';
import { binary, defineRoutes, type HttpApi, itemsOf } from './route';

export const ModelTags = z.record(z.string().min(1).max(128), z.string().max(512));

/** `POST /models` */
export const NewRegisteredModel = z.object({
  name: ModelName,
  owner: z.string().trim().min(1, 'must name the owner'),
  description: z.string().max(10_000).default(''),
  // The EU AI Act's prohibited practices may not be placed on the market: such a model is refused here, by name.
  riskTier: z
    .enum(RiskTier.options, {
      error: (issue) => (issue.input === 'prohibited' ? 'prohibited models may not be registered' : `must be one of ${RiskTier.options.join(', ')}`),
    })
    .default('limited'),
  tags: ModelTags.default({}),
});

export const RegisteredModel = z.object({
  name: ModelName,
  owner: z.string(),
  description: z.string(),
  riskTier: RiskTier,
  tags: ModelTags,
  createdAt: IsoTime,
  latestVersion: VersionNumber.nullable(),
});

export const VersionStatus = z.enum(['PENDING_REGISTRATION', 'READY', 'FAILED_REGISTRATION']);
export const VersionApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'revoked']);

export const ModelVersion = z.object({
  modelName: ModelName,
  version: VersionNumber,
  status: VersionStatus,
  riskTier: RiskTier,
  artifact: Artifact,
  signature: ModelSignature,
  params: Params,
  metrics: Metrics,
  referenceProfileUri: z.string().nullable(),
  lineage: z.object({
    runId: z.string().nullable(),
    datasetSnapshotId: z.string().nullable(),
    datasetSha256: Sha256.nullable(),
    codeVersion: z.string().nullable(),
    parentVersion: VersionNumber.nullable(),
  }),
  tags: ModelTags,
  approvalStatus: VersionApprovalStatus,
  /** Who uploaded the version (the authenticated caller); null for versions the trainer produced. */
  registeredBy: z.string().nullable(),
  /** The model's owner, as the registry holds it now. */
  owner: z.string(),
  createdAt: IsoTime,
});

export const ModelAlias = z.object({ alias: z.string(), version: VersionNumber, updatedAt: IsoTime });
export const AliasName = z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be a lowercase name: a-z first, then a-z, 0-9, "_", "-"');

const weight = z.number().gt(0, 'must be above 0').lt(1, 'must be below 1');

/** `POST /models/{name}/deployments`: what a caller asks to serve; the registry fills in each version's artifact. */
export const DeploymentRequest = z
  .object({
    champion: VersionNumber.nullable(),
    challenger: z
      .discriminatedUnion('mode', [
        z.object({ version: VersionNumber, mode: z.literal('canary'), weight }),
        z.object({ version: VersionNumber, mode: z.literal('shadow') }),
        z.object({ version: VersionNumber, mode: z.literal('ab'), stickyKey: z.string().min(1), weight }),
      ])
      .nullable()
      .default(null),
    /** Replaced by the caller's name: the serving history says who changed it, not who a body claims did. */
    changedBy: z.string().optional(),
    reason: z.string().trim().min(1, 'must say why'),
  })
  .refine((req) => req.challenger === null || req.champion !== null, { path: ['challenger'], message: 'needs a champion to be challenged' })
  .refine((req) => req.challenger === null || req.challenger.version !== req.champion, {
    path: ['challenger', 'version'],
    message: 'must differ from the champion',
  });

export const DeploymentHistoryEntry = DeploymentChanged.extend({ validFrom: IsoTime, validTo: IsoTime.nullable() });

const Page = { limit: wholeNumberText(1, 500).default(50), offset: wholeNumberText(0, Number.MAX_SAFE_INTEGER).default(0) };

/** `key` (has the tag) or `key:value` (has it with that value). */
const TagFilter = z
  .string()
  .min(1)
  .transform((filter) => {
    const at = filter.indexOf(':');
    return at < 0 ? { key: filter } : { key: filter.slice(0, at), value: filter.slice(at + 1) };
  })
  .optional();

const NumberText = z
  .string()
  .refine((value) => value.trim() !== '' && Number.isFinite(Number(value)), 'must be a number')
  .transform(Number);

const jsonText = <S extends z.ZodType>(schema: S) =>
  z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(schema);

/** A version number in a path. */
export const VersionText = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, 'must be a whole number of at least 1')
  .transform(Number);

const ModelPath = z.object({ name: ModelName });
const VersionPath = z.object({ name: ModelName, version: VersionText });
const AliasPath = z.object({ name: ModelName, alias: AliasName });

const ModelQuery = z.object({ q: z.string().min(1).optional(), owner: z.string().min(1).optional(), riskTier: RiskTier.optional(), tag: TagFilter, ...Page });

const VersionQuery = z
  .object({
    status: VersionStatus.optional(),
    approvalStatus: VersionApprovalStatus.optional(),
    tag: TagFilter,
    /** The metric min/max apply to, e.g. auc; given with min, max or both. */
    metric: z.string().min(1).optional(),
    min: NumberText.optional(),
    max: NumberText.optional(),
    ...Page,
  })
  .refine((q) => q.metric !== undefined || (q.min === undefined && q.max === undefined), {
    path: ['metric'],
    message: 'is required with min or max (e.g. metric=auc&min=0.8)',
  })
  .refine((q) => q.metric === undefined || q.min !== undefined || q.max !== undefined, {
    path: ['metric'],
    message: 'needs min or max to filter by (e.g. metric=accuracy&min=0.8)',
  });

const UploadQuery = z.object({ metrics: jsonText(Metrics).default({}), params: jsonText(Params).default({}), tags: jsonText(ModelTags).default({}) });


export const registryRoutes = defineRoutes({
  createModel: {
    method: 'post',
    path: '/models',
    summary: 'Register a model',
    tag: 'models',
    access: { permission: 'models:write' },
    body: NewRegisteredModel,
    status: 201,
    response: RegisteredModel,
    errors: { 409: 'A model of that name exists' },
  },
  searchModels: {
    method: 'get',
    path: '/models',
    summary: 'Models matching every filter, by name',
    tag: 'models',
    access: { permission: 'models:read' },
    query: ModelQuery,
    status: 200,
    response: itemsOf(RegisteredModel),
  },
  getModel: {
    method: 'get',
    path: '/models/{name}',
    summary: 'One model',
    tag: 'models',
    access: { permission: 'models:read' },
    params: ModelPath,
    status: 200,
    response: RegisteredModel,
    errors: { 404: 'No such model' },
  },
  uploadVersion: {
    method: 'post',
    path: '/models/{name}/versions',
    summary: 'Upload an ONNX file as a new version, READY, with the signature read from the file',
    tag: 'versions',
    access: { permission: 'models:write' },
    params: ModelPath,
    query: UploadQuery,
    body: binary(),
    status: 201,
    response: ModelVersion,
    errors: {
      404: 'No such model (create it first)',
      413: 'Larger than MLOPS_REGISTRY_MAX_ARTIFACT_BYTES',
      415: 'The body is not application/octet-stream',
      422: "Not a valid ONNX model; the message gives the parser's reason",
    },
  },
  listVersions: {
    method: 'get',
    path: '/models/{name}/versions',
    summary: 'Versions of the model matching every filter, newest first',
    tag: 'versions',
    access: { permission: 'models:read' },
    params: ModelPath,
    query: VersionQuery,
    status: 200,
    response: itemsOf(ModelVersion),
  },
  getVersion: {
    method: 'get',
    path: '/models/{name}/versions/{version}',
    summary: 'One version with its artifact, signature, metrics and lineage',
    tag: 'versions',
    access: { permission: 'models:read' },
    params: VersionPath,
    status: 200,
    response: ModelVersion,
    errors: { 404: 'No such model version' },
  },
  downloadArtifact: {
    method: 'get',
    path: '/models/{name}/versions/{version}/artifact',
    summary: 'The ONNX file, verified against its recorded sha256 (also sent as x-mlops-artifact-sha256)',
    tag: 'versions',
    access: { permission: 'models:read' },
    params: VersionPath,
    status: 200,
    response: binary(),
    errors: { 404: 'No such model version', 502: 'The stored bytes no longer match the recorded sha256' },
  },
  listAliases: {
    method: 'get',
    path: '/models/{name}/aliases',
    summary: 'Every alias of the model and the version it points at',
    tag: 'aliases',
    access: { permission: 'models:read' },
    params: ModelPath,
    status: 200,
    response: itemsOf(ModelAlias),
  },
  setAlias: {
    method: 'put',
    path: '/models/{name}/aliases/{alias}',
    summary: 'Point an alias (champion, challenger or any name) at a version',
    tag: 'aliases',
    access: { permission: 'models:write' },
    params: AliasPath,
    body: z.object({ version: VersionNumber }),
    status: 200,
    response: ModelAlias,
    errors: { 404: 'No such model version' },
  },
  removeAlias: {
    method: 'delete',
    path: '/models/{name}/aliases/{alias}',
    summary: 'Remove an alias',
    tag: 'aliases',
    access: { permission: 'models:write' },
    params: z.object({ name: ModelName, alias: z.string().min(1) }),
    status: 204,
    response: null,
    errors: { 404: 'The model has no such alias' },
  },
  deploy: {
    method: 'post',
    path: '/models/{name}/deployments',
    summary: 'Serve a champion (or nothing) and optionally a challenger; published as mlops.registry.deployment-changed',
    tag: 'deployments',
    access: { permission: 'deployments:write' },
    params: ModelPath,
    body: DeploymentRequest,
    status: 201,
    response: DeploymentChanged,
    errors: { 404: 'No such model or version', 409: 'A named version is not READY or not approved' },
  },
  currentDeployments: {
    method: 'get',
    path: '/deployments',
    summary: 'The current serving spec of every model that has one (deployment-changed data)',
    tag: 'deployments',
    access: { permission: 'models:read' },
    status: 200,
    response: itemsOf(DeploymentChanged),
  },
  deploymentHistory: {
    method: 'get',
    path: '/models/{name}/deployments/history',
    summary: 'Every serving spec with validFrom/validTo, or the one serving at `at`',
    tag: 'deployments',
    access: { permission: 'models:read' },
    params: ModelPath,
    query: z.object({ at: IsoTimeText.optional() }),
    status: 200,
    response: itemsOf(DeploymentHistoryEntry),
    errors: { 404: 'Nothing served the model at that time' },
  },
});

export const registryApi: HttpApi<typeof registryRoutes> = {
  title: 'mlops registry',
  description: 'Registered models, versions, artifacts (sha256), signatures, lineage, aliases and deployments.',
  routes: registryRoutes,
};

export type NewRegisteredModel = z.infer<typeof NewRegisteredModel>;
export type RegisteredModel = z.infer<typeof RegisteredModel>;
export type ModelVersion = z.infer<typeof ModelVersion>;
export type ModelAlias = z.infer<typeof ModelAlias>;
export type DeploymentRequest = z.infer<typeof DeploymentRequest>;
export type DeploymentSpec = z.infer<typeof DeploymentChanged>;
export type DeploymentHistoryEntry = z.infer<typeof DeploymentHistoryEntry>;
