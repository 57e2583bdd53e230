import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ManualEvidence, ManualEvidenceRequest } from '@mlops/contracts';
import { AuditTrail } from '../audit-log/audit-trail';
import { MlTestEvidenceRepository } from './ml-test-evidence.repository';

export const EVIDENCE_RECORDED_TYPE = 'governance.ml-test-evidence-recorded.v1';

/** A manual test run, recorded with its link, and chained in the audit trail in the same transaction. */
@Injectable()
export class RecordManualEvidence {
  constructor(
    private readonly dataSource: DataSource,
    private readonly evidence: MlTestEvidenceRepository,
    private readonly auditTrail: AuditTrail,
  ) {}

  execute(modelName: string, request: ManualEvidenceRequest, recordedBy: string): Promise<ManualEvidence> {
    const recordedAt = new Date();
    const evidence: ManualEvidence = { ...request, modelName, recordedBy, recordedAt: recordedAt.toISOString() };
    return this.dataSource.transaction('READ COMMITTED', async (manager) => {
      await this.evidence.save(manager, evidence);
      await this.auditTrail.append(manager, {
        eventId: randomUUID(),
        eventType: EVIDENCE_RECORDED_TYPE,
        source: '/mlops/governance',
        subject: modelName,
        occurredAt: recordedAt,
        data: evidence,
      });
      return evidence;
    });
  }
}
