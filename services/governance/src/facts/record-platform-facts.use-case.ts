import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { RunPolicyChecks } from '../checks/run-policy-checks';
import { ModelFactsRepository } from './model-facts.repository';

/**
 * Keeps governance's copy of the facts other services announce, once per event. A version is judged as soon as
 * governance knows it and, when it was trained, its run: whichever of the two events arrives last opens its
 * approval request, in the same transaction as the fact.
 */
@Injectable()
export class RecordPlatformFacts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: ModelFactsRepository,
    private readonly checks: RunPolicyChecks,
  ) {}

  trainingRequested(event: PlatformEvent<'mlops.training.requested'>): Promise<boolean> {
    const { requestId, modelName, requestedBy } = event.data;
    return this.once('facts-training-requested', event.id, (manager) => this.facts.recordRequest(manager, { requestId, modelName, requestedBy }));
  }

  trainingCompleted(event: PlatformEvent<'mlops.training.completed'>): Promise<boolean> {
    const run = event.data;
    return this.once('facts-training-completed', event.id, async (manager) => {
      await this.facts.recordRun(manager, run.modelName, {
        runId: run.runId,
        requestId: run.requestId,
        metrics: run.metrics,
        championMetrics: run.championMetrics,
        parentVersion: run.parentVersion,
        groupMetrics: run.groupMetrics,
      });
      for (const version of await this.facts.versionsOfRun(manager, run.runId)) {
        await this.checks.openWhenReady(manager, version.modelName, version.version);
      }
    });
  }

  versionRegistered(event: PlatformEvent<'mlops.registry.version-registered'>): Promise<boolean> {
    const v = event.data;
    return this.once('facts-version-registered', event.id, async (manager) => {
      await this.facts.recordVersion(manager, {
        modelName: v.modelName,
        version: v.version,
        riskTier: v.riskTier,
        owner: v.owner,
        registeredBy: v.registeredBy,
        signature: v.signature,
        metrics: v.metrics,
        runId: v.lineage.runId,
        datasetSha256: v.lineage.datasetSha256,
        registeredAt: v.registeredAt,
      });
      await this.checks.openWhenReady(manager, v.modelName, v.version);
    });
  }

  deploymentChanged(event: PlatformEvent<'mlops.registry.deployment-changed'>): Promise<boolean> {
    const d = event.data;
    return this.once('facts-deployment-changed', event.id, (manager) =>
      this.facts.recordServing(manager, {
        modelName: d.modelName,
        revision: d.revision,
        championVersion: d.champion?.version ?? null,
        challengerVersion: d.challenger?.version ?? null,
      }),
    );
  }

  private once(consumer: string, eventId: string, effect: (manager: EntityManager) => Promise<void>): Promise<boolean> {
    return applyOnce(this.dataSource, 'governance', consumer, eventId, effect);
  }
}
