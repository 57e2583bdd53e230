import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { createEvent } from '@mlops/contracts';
import { OutboxWriter } from '@mlops/messaging';
import type { DeploymentRequest, DeploymentSpec } from '@mlops/contracts';

/** A deployment request with who makes it: the caller's principal, or governance for its own decisions. */
export type DeploymentChange = DeploymentRequest & { changedBy: string };
import { DeploymentRepository } from '../deployments/deployment.repository';
import { RegisteredModelRepository } from '../models/registered-model.repository';
import type { ModelVersion } from '@mlops/contracts';
import { ModelVersionRepository } from '../model-versions/model-version.repository';

/**
 * Changes what serves a model. Only READY versions that governance approved may serve; the new spec, the closing of
 * the previous one in the history and the `deployment-changed` event commit in one transaction.
 */
@Injectable()
export class DeployModel {
  constructor(
    private readonly dataSource: DataSource,
    private readonly models: RegisteredModelRepository,
    private readonly versions: ModelVersionRepository,
    private readonly deployments: DeploymentRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  execute(modelName: string, request: DeploymentChange): Promise<DeploymentSpec> {
    return this.dataSource.transaction('READ COMMITTED', (manager) => this.within(manager, modelName, request));
  }

  /** The same change inside a caller's transaction, e.g. with the event that caused it marked as applied. */
  async within(manager: EntityManager, modelName: string, request: DeploymentChange): Promise<DeploymentSpec> {
    if (!(await this.models.lockExisting(manager, modelName))) throw new NotFoundException(`model ${modelName} does not exist`);
    const champion = request.champion === null ? null : await this.servable(manager, modelName, request.champion, 'champion');
    const challenger = request.challenger
      ? { ...request.challenger, ...(await this.servable(manager, modelName, request.challenger.version, 'challenger')) }
      : null;
    const { revision, at } = await this.deployments.nextRevision(manager, modelName);
    const event = createEvent(
      'mlops.registry.deployment-changed',
      {
        modelName,
        revision,
        champion,
        challenger,
        changedBy: request.changedBy,
        reason: request.reason,
        effectiveFrom: at.toISOString(),
      },
      { source: 'registry', time: at },
    );
    await this.deployments.record(manager, event.data);
    await this.outbox.enqueue(manager, 'mlops.registry.deployment-changed', event);
    return event.data;
  }

  private async servable(manager: EntityManager, modelName: string, number: number, role: string) {
    const version = await this.versions.find(modelName, number, manager);
    if (!version) throw new NotFoundException(`${role}: model ${modelName} has no version ${number}`);
    const refusal = whyNotServable(version);
    if (refusal) throw new ConflictException(`${role}: version ${number} of ${modelName} cannot serve: ${refusal}`);
    return { version: version.version, artifact: version.artifact };
  }
}

function whyNotServable(version: ModelVersion): string | null {
  if (version.status !== 'READY') return `its status is ${version.status}, not READY`;
  if (version.approvalStatus !== 'approved') {
    return `its approval status is ${version.approvalStatus}; only approved versions may be champion or challenger`;
  }
  return null;
}
