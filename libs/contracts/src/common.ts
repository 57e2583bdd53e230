import { z } from 'zod';

/** Model names are slugs so they are safe in object keys, URLs and Kafka keys. */
export const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a lowercase slug: a-z, 0-9, ".", "_", "-"; 1 to 63 characters');

export const VersionNumber = z.number().int().positive();
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters');
export const Uuid = z.uuid();
export const IsoTime = z.iso.datetime({ offset: true });
export const ObjectUri = z.string().regex(/^s3:\/\/[a-z0-9.-]{3,63}\/.+$/, 'must be s3://<bucket>/<key>');
export const Metrics = z.record(z.string(), z.number());
export const Params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export const RiskTier = z.enum(['minimal', 'limited', 'high']);
/** The tiers a governance policy may declare: a `prohibited` model may not be approved or served at all. */
export const PolicyRiskTier = z.enum([...RiskTier.options, 'prohibited']);

export const Artifact = z.object({ uri: ObjectUri, sha256: Sha256, sizeBytes: z.number().int().nonnegative() });

/** OIP v2 datatypes the platform serves. */
export const TensorDatatype = z.enum(['BOOL', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'FP16', 'FP32', 'FP64', 'BYTES']);

/** A dimension is a fixed size, or symbolic (a name such as "batch", or null when unnamed). */
export const TensorSpec = z.object({
  name: z.string().min(1),
  elementType: z.string().min(1),
  shape: z.array(z.union([z.number().int().nonnegative(), z.string(), z.null()])),
});

export const ModelSignature = z.object({
  inputs: z.array(TensorSpec),
  outputs: z.array(TensorSpec),
  opset: z.number().int().nonnegative().optional(),
  producer: z.string().optional(),
});

export const Tensor = z.object({
  name: z.string().min(1),
  datatype: TensorDatatype,
  shape: z.array(z.number().int().nonnegative()),
  data: z.array(z.unknown()),
});

export const TimeWindow = z.object({ from: IsoTime, to: IsoTime });

export type ModelSignature = z.infer<typeof ModelSignature>;
export type Tensor = z.infer<typeof Tensor>;
export type Artifact = z.infer<typeof Artifact>;
export type PolicyRiskTier = z.infer<typeof PolicyRiskTier>;
