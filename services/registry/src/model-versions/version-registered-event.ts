import { createEvent, PlatformEvent } from '@mlops/contracts';
import type { ModelVersion } from '@mlops/contracts';

export function versionRegisteredEvent(version: ModelVersion): PlatformEvent<'mlops.registry.version-registered'> {
  return createEvent(
    'mlops.registry.version-registered',
    {
      modelName: version.modelName,
      version: version.version,
      riskTier: version.riskTier,
      artifact: version.artifact,
      signature: version.signature,
      metrics: version.metrics,
      referenceProfileUri: version.referenceProfileUri,
      lineage: version.lineage,
      registeredAt: version.createdAt,
      owner: version.owner,
      registeredBy: version.registeredBy,
    },
    { source: 'registry' },
  );
}
