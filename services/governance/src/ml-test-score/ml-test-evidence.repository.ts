import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { ManualEvidence } from '@mlops/contracts';

interface EvidenceRow {
  model_name: string;
  test_id: string;
  link: string;
  note: string | null;
  recorded_by: string;
  recorded_at: Date;
}

/** Manual ML Test Score evidence: the latest record per model and test. */
@Injectable()
export class MlTestEvidenceRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(manager: EntityManager, evidence: ManualEvidence): Promise<void> {
    await manager.query(
      `INSERT INTO governance.ml_test_evidence (model_name, test_id, link, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (model_name, test_id) DO UPDATE SET link = $3, note = $4, recorded_by = $5, recorded_at = $6`,
      [evidence.modelName, evidence.test, evidence.link, evidence.note ?? null, evidence.recordedBy, evidence.recordedAt],
    );
  }

  async ofModel(modelName: string): Promise<Map<string, ManualEvidence>> {
    const rows: EvidenceRow[] = await this.dataSource.query(`SELECT * FROM governance.ml_test_evidence WHERE model_name = $1`, [modelName]);
    return new Map(
      rows.map((row) => [
        row.test_id,
        {
          modelName: row.model_name,
          test: row.test_id,
          link: row.link,
          ...(row.note === null ? {} : { note: row.note }),
          recordedBy: row.recorded_by,
          recordedAt: row.recorded_at.toISOString(),
        },
      ]),
    );
  }
}
