import type { ModelSignature } from '@mlops/contracts';

export interface ModelVersion {
  modelName: string;
  version: number;
  status: 'PENDING_REGISTRATION' | 'READY' | 'FAILED_REGISTRATION';
  riskTier: 'minimal' | 'limited' | 'high';
  artifact: { uri: string; sha256: string; sizeBytes: number };
  signature: ModelSignature;
  params: Record<string, string | number | boolean>;
  metrics: Record<string, number>;
  referenceProfileUri: string | null;
  lineage: {
    runId: string | null;
    datasetSnapshotId: string | null;
    datasetSha256: string | null;
    codeVersion: string | null;
    parentVersion: number | null;
  };
  tags: Record<string, string>;
  approvalStatus: 'pending' | 'approved' | 'rejected' | 'revoked';
  /** Who uploaded the version (the authenticated caller); null for versions the trainer produced. */
  registeredBy: string | null;
  /** The model's owner, as the registry holds it now. */
  owner: string;
  createdAt: string;
}

export type NewModelVersion = Omit<ModelVersion, 'version' | 'riskTier' | 'approvalStatus' | 'owner' | 'createdAt'>;
