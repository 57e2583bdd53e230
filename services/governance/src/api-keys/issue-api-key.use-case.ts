import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { generateApiKey, hashSecret } from '@mlops/auth';
import type { CreatedApiKey, PrincipalView, ScryptHash } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import { apiKeyChangedEvent } from './api-key-changed-event';
import { ApiKeyRepository, StoredApiKey } from './api-key.repository';

export interface KeyToStore {
  keyId: string;
  secretHash: ScryptHash;
  description: string;
  expiresAt: Date | null;
}

/**
 * Gives a principal a key. Only the hash is stored and published; the key is in the answer, once. The key and
 * its `api-key-changed` event commit together, so every service learns of it through the outbox.
 */
@Injectable()
export class IssueApiKey {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: ApiKeyRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(principal: PrincipalView, request: { expiresInDays: number; description: string }, issuedBy: string): Promise<CreatedApiKey> {
    const key = generateApiKey();
    const expiresAt = new Date(Date.now() + request.expiresInDays * 86_400_000);
    const toStore = { keyId: key.keyId, secretHash: await hashSecret(key.secret), description: request.description, expiresAt };
    const stored = await this.dataSource.transaction((manager) => this.store(manager, principal, toStore, issuedBy));
    // 64 random bits: a taken id means something other than chance is wrong.
    if (!stored) throw new Error(`API key id ${key.keyId} is taken`);
    return { ...stored.view, apiKey: key.apiKey };
  }

  /** Stores a key made elsewhere (a seed) in the caller's transaction; undefined when that key id is taken. */
  async store(manager: EntityManager, principal: PrincipalView, key: KeyToStore, issuedBy: string): Promise<StoredApiKey | undefined> {
    if (!(await this.keys.insert(manager, { ...key, principal, createdBy: issuedBy }))) return undefined;
    const stored = await this.keys.find(key.keyId, manager);
    if (!stored) return undefined;
    await this.outbox.enqueue(manager, 'mlops.governance.api-key-changed', apiKeyChangedEvent(stored, principal, issuedBy));
    return stored;
  }
}
