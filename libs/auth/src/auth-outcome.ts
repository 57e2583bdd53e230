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

const STATUS_TEXT: Record<AuthFailure['status'], string> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };

/** The JSON body of a refusal over HTTP, the same from the Nest guard and from routes served in front of Nest. */
export function refusalBody(failure: AuthFailure) {
  const { status, reason, message, permission } = failure;
  return { statusCode: status, error: STATUS_TEXT[status], reason, message, permission };
}

/** RFC 6750: a 401 names the scheme, and says whether the token given was the problem. */
export function bearerChallenge(failure: AuthFailure, keyGiven: boolean): string {
  return keyGiven ? `Bearer realm="mlops", error="invalid_token", error_description="${failure.reason}"` : 'Bearer realm="mlops"';
}

/** gRPC status codes of a refusal: UNAUTHENTICATED, PERMISSION_DENIED, UNAVAILABLE. */
export const GRPC_REFUSAL_CODE: Record<AuthFailure['status'], number> = { 401: 16, 403: 7, 503: 14 };
