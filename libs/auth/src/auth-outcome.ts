import type { Permission } from './permissions';
import type { Principal } from './principal';

export type AuthFailureReason =
  | 'missing-key'
  | 'malformed-authorization'
  | 'unknown-key'
  | 'expired-key'
  | 'revoked-key'
  | 'permission-denied'
  | 'keys-loading';

export interface AuthFailure {
  ok: false;
  /** 401: no usable key; 403: a valid key whose roles lack the permission; 503: keys not loaded yet. */
  status: 401 | 403 | 503;
  reason: AuthFailureReason;
  message: string;
  permission: Permission;
}

/** `principal` is null only on a route whose permission this deployment leaves open to callers without a key. */
export type AuthOutcome = { ok: true; principal: Principal | null } | AuthFailure;
