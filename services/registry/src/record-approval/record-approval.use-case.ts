import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { ModelVersionRepository } from '../model-versions/model-version.repository';
import { WithdrawRevokedVersion } from './withdraw-revoked-version';

const CONSUMER = 'record-approval';

export class UnknownVersionError extends Error {
  constructor(modelName: string, version: number) {
    super(`approval decided for version ${version} of ${modelName}, which the registry does not have`);
    this.name = 'UnknownVersionError';
  }
}

/**
 * Governance's decision is what lets a version serve; the registry keeps it on the version, once per event. A
 * revocation also takes the version out of serving, in the same transaction.
 */
@Injectable()
export class RecordApproval {
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions: ModelVersionRepository,
    private readonly withdraw: WithdrawRevokedVersion,
  ) {}

  execute(event: PlatformEvent<'mlops.governance.approval-decided'>): Promise<boolean> {
    const { modelName, version, decision, decidedBy, reason } = event.data;
    return applyOnce(this.dataSource, 'registry', CONSUMER, event.id, async (manager) => {
      // Thrown so the consumer retries and then dead-letters it: a decision about nothing must not vanish silently.
      if (!(await this.versions.setApproval(manager, modelName, version, decision))) throw new UnknownVersionError(modelName, version);
      if (decision === 'revoked') await this.withdraw.within(manager, { modelName, version, decidedBy, reason });
    });
  }
}
