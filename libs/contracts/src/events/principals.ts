import { z } from 'zod';
import { IsoTime, Uuid } from '../common';
import { ApiKeyId, PrincipalKind, PrincipalName, RoleName, ScryptHash } from '../principals';

/**
 * The whole current state of one API key and of the principal holding it. The topic is compacted by key id, so
 * reading it from the beginning gives every service the set of keys it must accept, with no call to governance.
 */
export const ApiKeyChanged = z.object({
  keyId: ApiKeyId,
  principal: z.object({
    id: Uuid,
    name: PrincipalName,
    kind: PrincipalKind,
    roles: z.array(RoleName).min(1),
  }),
  secretHash: ScryptHash,
  createdAt: IsoTime,
  /** null: valid until revoked (the keys the platform seeds for itself and its services). */
  expiresAt: IsoTime.nullable(),
  revokedAt: IsoTime.nullable(),
  /** The principal whose request made this change, for the audit trail. */
  changedBy: z.string().min(1),
});
