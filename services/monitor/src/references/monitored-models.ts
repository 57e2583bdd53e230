import { Injectable } from '@nestjs/common';
import { MonitoringPolicy } from '@mlops/contracts';
import { PolicyRepository } from '../policies/policy.repository';
import type { ModelContext, VersionReference } from '../stream/model-context';
import { ReferenceRepository, StoredReference } from './reference.repository';

const DEFAULT_POLICY = MonitoringPolicy.parse({});

/**
 * The stream asks for a version's reference and a model's policy for every window; this keeps both in memory,
 * loaded at start and updated by the same process's use cases the moment they store a change.
 */
@Injectable()
export class MonitoredModels implements ModelContext {
  private readonly references = new Map<string, VersionReference>();
  private policies = new Map<string, MonitoringPolicy>();

  constructor(
    private readonly referenceRepository: ReferenceRepository,
    private readonly policyRepository: PolicyRepository,
  ) {}

  async load(): Promise<void> {
    for (const reference of await this.referenceRepository.all()) this.setReference(reference);
    this.policies = await this.policyRepository.all();
  }

  setReference(reference: StoredReference): void {
    this.references.set(`${reference.modelName}:${reference.version}`, { profile: reference.profile, baseline: reference.baseline, task: reference.task });
  }

  setPolicy(modelName: string, policy: MonitoringPolicy): void {
    this.policies.set(modelName, policy);
  }

  policy(modelName: string): MonitoringPolicy {
    return this.policies.get(modelName) ?? DEFAULT_POLICY;
  }

  reference(modelName: string, version: number): VersionReference | null {
    return this.references.get(`${modelName}:${version}`) ?? null;
  }
}
