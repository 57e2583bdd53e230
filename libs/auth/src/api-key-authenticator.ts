import { timingSafeEqual } from 'node:crypto';
import { parseApiKey } from './api-key';
import type { AuthFailure, AuthFailureReason, AuthOutcome } from './auth-outcome';
import type { KeyDirectory, KeyRecord } from './key-directory';
import { Permission, rolesAllow } from './permissions';
import { fastDigest, secretMatches } from './secret-hash';

export interface AuthenticatorOptions {
  /** Permissions this deployment grants to callers without a key, e.g. inference while MLOPS_GATEWAY_REQUIRE_KEY is off. */
  anonymous?: readonly Permission[];
  now?: () => number;
  /** The slow check of a secret against its stored hash; scrypt unless a test counts the calls. */
  checkSecret?: (secret: string, hash: KeyRecord['secretHash']) => Promise<boolean>;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Decides whether an `Authorization` value may use a permission, whatever the transport: the HTTP guard and the
 * gRPC edges (`authorization` metadata) call the same function. A key's secret is checked with scrypt once per
 * service replica; afterwards a SHA-256 of the secret, kept until the key changes, answers in microseconds.
 */
export class ApiKeyAuthenticator {
  private readonly anonymous: ReadonlySet<Permission>;
  private readonly now: () => number;
  private readonly checkSecret: NonNullable<AuthenticatorOptions['checkSecret']>;
  private readonly verified = new Map<string, Buffer>();
  private readonly checking = new Map<string, Promise<boolean>>();

  constructor(
    private readonly directory: KeyDirectory,
    options: AuthenticatorOptions = {},
  ) {
    this.anonymous = new Set(options.anonymous ?? []);
    this.now = options.now ?? Date.now;
    this.checkSecret = options.checkSecret ?? secretMatches;
    directory.onChange((keyId) => this.verified.delete(keyId));
  }

  async authenticate(authorization: string | undefined, permission: Permission): Promise<AuthOutcome> {
    const fail = (status: AuthFailure['status'], reason: AuthFailureReason, message: string): AuthFailure => ({
      ok: false,
      status,
      reason,
      message,
      permission,
    });
    if (!authorization) {
      if (this.anonymous.has(permission)) return { ok: true, principal: null };
      return fail(401, 'missing-key', `${permission} needs an API key: send "Authorization: Bearer <key>"`);
    }
    const token = BEARER.exec(authorization)?.[1];
    if (!token) return fail(401, 'malformed-authorization', 'the Authorization header must read "Bearer <key>"');
    const parts = parseApiKey(token);
    if (!parts) return fail(401, 'malformed-authorization', 'the bearer token is not an mlops API key (mlops_<key id>_<secret>)');
    if (!this.directory.isLoaded()) return fail(503, 'keys-loading', 'this service is still loading the API keys; retry in a moment');
    const record = this.directory.find(parts.keyId);
    if (!record) return fail(401, 'unknown-key', `API key ${parts.keyId} is not known`);
    const unusable = this.unusable(record);
    if (unusable) return fail(401, unusable.reason, unusable.message);
    if (!(await this.secretVerified(record, parts.secret))) return fail(401, 'unknown-key', `API key ${parts.keyId} is not known with that secret`);
    // A revocation may have arrived while scrypt ran.
    const current = this.directory.find(parts.keyId) ?? record;
    const revoked = this.unusable(current);
    if (revoked) return fail(401, revoked.reason, revoked.message);
    const { id, name, roles } = current.principal;
    if (!rolesAllow(roles, permission)) {
      return fail(403, 'permission-denied', `${name} (roles: ${roles.join(', ')}) is not granted ${permission}`);
    }
    return { ok: true, principal: { id, name, roles: [...roles], keyId: parts.keyId } };
  }

  private unusable(record: KeyRecord): { reason: AuthFailureReason; message: string } | undefined {
    if (record.revokedAt) return { reason: 'revoked-key', message: `API key ${record.keyId} was revoked at ${record.revokedAt}` };
    if (record.expiresAt && Date.parse(record.expiresAt) <= this.now()) {
      return { reason: 'expired-key', message: `API key ${record.keyId} expired at ${record.expiresAt}` };
    }
    return undefined;
  }

  private async secretVerified(record: KeyRecord, secret: string): Promise<boolean> {
    const digest = fastDigest(secret);
    const known = this.verified.get(record.keyId);
    if (known) return timingSafeEqual(known, digest);
    // Concurrent first requests with one key share a single scrypt run.
    const attempt = `${record.keyId}:${digest.toString('base64')}`;
    let check = this.checking.get(attempt);
    if (!check) {
      check = this.checkSecret(secret, record.secretHash).finally(() => this.checking.delete(attempt));
      this.checking.set(attempt, check);
    }
    const matches = await check;
    if (matches && this.directory.find(record.keyId) === record) this.verified.set(record.keyId, digest);
    return matches;
  }
}
