import type { ModelVersion } from '@mlops/contracts';

/** What registration records: the registry numbers the version and fills in the model's tier, owner and approval. */
export type NewModelVersion = Omit<ModelVersion, 'version' | 'riskTier' | 'approvalStatus' | 'owner' | 'createdAt'>;
