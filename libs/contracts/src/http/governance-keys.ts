import { z } from 'zod';
import { IsoTime, Uuid } from '../common';
import { ApiKeyId, PrincipalKind, PrincipalName, RoleName } from '../principals';

/** POST /principals */
export const CreatePrincipalRequest = z.object({
  name: PrincipalName,
  kind: PrincipalKind.default('person'),
  roles: z.array(RoleName).min(1, 'must name at least one role'),
});

export const PrincipalView = z.object({
  id: Uuid,
  name: PrincipalName,
  kind: PrincipalKind,
  roles: z.array(RoleName),
  createdAt: IsoTime,
  createdBy: z.string(),
});

export const PrincipalList = z.object({ items: z.array(PrincipalView) });

/** GET /principals?name= */
export const PrincipalQuery = z.object({ name: PrincipalName.optional() });

export const MAX_KEY_LIFETIME_DAYS = 3650;

/** POST /principals/{id}/keys */
export const CreateApiKeyRequest = z.object({
  expiresInDays: z.number().int().min(1).max(MAX_KEY_LIFETIME_DAYS).default(90),
  description: z.string().max(200).default(''),
});

export const ApiKeyStatus = z.enum(['active', 'expired', 'revoked']);

/** A key as lists show it: never its secret, which only the creation answer carries. */
export const ApiKeyView = z.object({
  keyId: ApiKeyId,
  principalId: Uuid,
  principalName: PrincipalName,
  roles: z.array(RoleName),
  description: z.string(),
  createdAt: IsoTime,
  createdBy: z.string(),
  expiresAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
  revokedBy: z.string().nullable(),
  status: ApiKeyStatus,
});

/** The answer to POST /principals/{id}/keys: the only time the key itself is shown. */
export const CreatedApiKey = ApiKeyView.extend({ apiKey: z.string() });

/** GET /keys?principal=&status= */
export const ApiKeyQuery = z.object({ principal: PrincipalName.optional(), status: ApiKeyStatus.optional() });

export const ApiKeyList = z.object({ items: z.array(ApiKeyView) });

export type CreatePrincipalRequest = z.input<typeof CreatePrincipalRequest>;
export type PrincipalView = z.infer<typeof PrincipalView>;
export type CreateApiKeyRequest = z.input<typeof CreateApiKeyRequest>;
export type ApiKeyStatus = z.infer<typeof ApiKeyStatus>;
export type ApiKeyView = z.infer<typeof ApiKeyView>;
export type CreatedApiKey = z.infer<typeof CreatedApiKey>;
