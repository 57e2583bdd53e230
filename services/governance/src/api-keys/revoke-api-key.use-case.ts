import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyView } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { PrincipalRepository } from '../principals/principal.repository';
import { apiKeyChangedEvent } from './api-key-changed-event';
import { ApiKeyRepository } from './api-key.repository';

/**
 * Revokes a key for good. The revocation and its `api-key-changed` event commit together; every service drops
 * the key when the event reaches it. Revoking a revoked key changes nothing and announces nothing.
 */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeyRepository,
    private readonly principals: PrincipalRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The key as it now stands, or undefined when there is no such key. */
  execute(keyId: string, revokedBy: string): Promise<ApiKeyView | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const revoked = await this.keys.revoke(manager, keyId, revokedBy);
      const key = await this.keys.find(keyId, manager);
      if (!key) return undefined;
      const principal = await this.principals.find(key.view.principalId, manager);
      if (revoked && principal) await this.outbox.enqueue(manager, 'mlops.governance.api-key-changed', apiKeyChangedEvent(key, principal, revokedBy));
      return key.view;
    });
  }
}
