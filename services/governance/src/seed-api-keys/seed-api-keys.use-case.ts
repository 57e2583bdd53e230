import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SeedKey } from '@mlops/auth';
import { IssueApiKey } from '../api-keys/issue-api-key.use-case';
import { PrincipalRepository } from '../principals/principal.repository';

const SEEDED_BY = 'platform-seed';

/**
 * Creates, at start, the keys the operator's tooling made (the admin's and each service's) from their hashes:
 * governance never sees those keys. A seed applied before is left as it is, so a revoked seed key stays revoked,
 * and the seeds commit in file order, so services that see the last one have seen all of them.
 */
@Injectable()
export class SeedApiKeys {
  constructor(
    private readonly dataSource: DataSource,
    private readonly principals: PrincipalRepository,
    private readonly issueApiKey: IssueApiKey,
  ) {}

  /** How many keys were new. */
  execute(seeds: readonly SeedKey[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      let created = 0;
      for (const seed of seeds) {
        const principal =
          (await this.principals.findByName(seed.principal.name, manager)) ??
          (await this.principals.create({ ...seed.principal, createdBy: SEEDED_BY }, manager));
        if (!principal) throw new Error(`principal ${seed.principal.name} could be neither found nor created`);
        const key = { keyId: seed.keyId, secretHash: seed.secretHash, description: seed.description, expiresAt: null };
        if (await this.issueApiKey.store(manager, principal, key, SEEDED_BY)) created++;
      }
      return created;
    });
  }
}
