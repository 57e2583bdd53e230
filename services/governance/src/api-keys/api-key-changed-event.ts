import { createEvent, PlatformEvent, PrincipalView } from '@mlops/contracts';
import type { StoredApiKey } from './api-key.repository';

/** The whole current state of a key and its principal, as every service's key directory applies it. */
export function apiKeyChangedEvent(key: StoredApiKey, principal: PrincipalView, changedBy: string): PlatformEvent<'mlops.governance.api-key-changed'> {
  return createEvent(
    'mlops.governance.api-key-changed',
    {
      keyId: key.view.keyId,
      principal: { id: principal.id, name: principal.name, kind: principal.kind, roles: principal.roles },
      secretHash: key.secretHash,
      createdAt: key.view.createdAt,
      expiresAt: key.view.expiresAt,
      revokedAt: key.view.revokedAt,
      changedBy,
    },
    { source: 'governance' },
  );
}
