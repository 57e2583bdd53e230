import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { PlatformEvent } from '@mlops/contracts';
import { applyOnce } from '@mlops/messaging';
import { ReferenceProfile } from '@mlops/ml';
import { JsonLogger } from '@mlops/observability';
import { ObjectStore } from '@mlops/storage';
import { MonitoredModels } from '../references/monitored-models';
import { ReferenceRepository, taskOf } from '../references/reference.repository';

const CONSUMER = 'register-trained-reference';

/**
 * A registered version brings the profile its training wrote: the monitor keeps it as the version's reference, with
 * the holdout metrics as the baseline live performance is held to. Versions without a profile are skipped; one can
 * be computed later with POST /references.
 */
@Injectable()
export class RegisterTrainedReference {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ObjectStore,
    private readonly references: ReferenceRepository,
    private readonly models: MonitoredModels,
    logger: JsonLogger,
  ) {
    this.logger = logger.child('RegisterTrainedReference');
  }

  private readonly logger: JsonLogger;

  async execute(event: PlatformEvent<'mlops.registry.version-registered'>): Promise<void> {
    const { modelName, version, referenceProfileUri, metrics } = event.data;
    if (!referenceProfileUri) return;
    const bytes = await this.store.read(referenceProfileUri).catch((error: { code?: string }) => {
      // A profile that is not there will not appear by retrying; the version is left without a reference, said aloud.
      if (error.code === 'NoSuchKey') return null;
      throw error;
    });
    if (!bytes) {
      this.logger.warn(`version ${version} of ${modelName} names reference profile ${referenceProfileUri}, which does not exist; POST /references can provide one`);
      return;
    }
    const profile = ReferenceProfile.parse(JSON.parse(bytes.toString('utf8')));
    const reference = { modelName, version, source: 'trainer' as const, profileUri: referenceProfileUri, profile, baseline: metrics, task: taskOf(profile) };
    const applied = await applyOnce(this.dataSource, 'monitor', CONSUMER, event.id, async (manager) => void (await this.references.save(manager, reference)));
    if (applied) this.models.setReference({ ...reference, createdAt: new Date().toISOString() });
  }
}
