import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { DeploymentHistoryEntry, DeploymentSpec } from '@mlops/contracts';

interface HistoryRow {
  spec: DeploymentSpec;
  valid_from: Date;
  valid_to: Date | null;
}

const toEntry = (row: HistoryRow): DeploymentHistoryEntry => ({
  ...row.spec,
  validFrom: row.valid_from.toISOString(),
  validTo: row.valid_to?.toISOString() ?? null,
});

/** The current serving spec per model and the history of every spec with the interval it served in. */
@Injectable()
export class DeploymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Caller holds the model's row lock, so revisions follow one another; the clock is read after the lock so a
   * later revision never starts before an earlier one.
   */
  async nextRevision(manager: EntityManager, modelName: string): Promise<{ revision: number; at: Date }> {
    const [row] = await manager.query(
      `SELECT COALESCE(MAX(revision), 0) + 1 AS revision, clock_timestamp() AS at
       FROM registry.deployment_history WHERE model_name = $1`,
      [modelName],
    );
    return { revision: Number(row.revision), at: row.at as Date };
  }

  async record(manager: EntityManager, spec: DeploymentSpec): Promise<void> {
    await manager.query(
      `UPDATE registry.deployment_history SET valid_to = $2 WHERE model_name = $1 AND valid_to IS NULL`,
      [spec.modelName, spec.effectiveFrom],
    );
    await manager.query(
      `INSERT INTO registry.deployment_history (model_name, revision, spec, changed_by, reason, valid_from)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [spec.modelName, spec.revision, JSON.stringify(spec), spec.changedBy, spec.reason, spec.effectiveFrom],
    );
    await manager.query(
      `INSERT INTO registry.deployments (model_name, revision, spec, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (model_name) DO UPDATE SET revision = EXCLUDED.revision, spec = EXCLUDED.spec, updated_at = EXCLUDED.updated_at`,
      [spec.modelName, spec.revision, JSON.stringify(spec), spec.effectiveFrom],
    );
  }

  async currentOf(manager: EntityManager, modelName: string): Promise<DeploymentSpec | null> {
    const rows: { spec: DeploymentSpec }[] = await manager.query('SELECT spec FROM registry.deployments WHERE model_name = $1', [modelName]);
    return rows[0]?.spec ?? null;
  }

  /** The champion of the latest deployment whose champion is still approved: where a revocation falls back to. */
  async lastApprovedChampion(manager: EntityManager, modelName: string): Promise<number | null> {
    const rows: { version: number }[] = await manager.query(
      `SELECT v.version FROM registry.deployment_history h
       JOIN registry.model_versions v ON v.model_name = h.model_name AND v.version = (h.spec -> 'champion' ->> 'version')::integer
       WHERE h.model_name = $1 AND v.approval_status = 'approved' AND v.status = 'READY'
       ORDER BY h.revision DESC LIMIT 1`,
      [modelName],
    );
    return rows[0]?.version ?? null;
  }

  async current(): Promise<DeploymentSpec[]> {
    const rows: { spec: DeploymentSpec }[] = await this.dataSource.query(
      'SELECT spec FROM registry.deployments ORDER BY model_name',
    );
    return rows.map((row) => row.spec);
  }

  async history(modelName: string): Promise<DeploymentHistoryEntry[]> {
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT spec, valid_from, valid_to FROM registry.deployment_history WHERE model_name = $1 ORDER BY revision`,
      [modelName],
    );
    return rows.map(toEntry);
  }

  /** The spec that was serving at `at`: it started at or before then and had not been replaced yet. */
  async servingAt(modelName: string, at: Date): Promise<DeploymentHistoryEntry | null> {
    const rows: HistoryRow[] = await this.dataSource.query(
      `SELECT spec, valid_from, valid_to FROM registry.deployment_history
       WHERE model_name = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)`,
      [modelName, at],
    );
    return rows.length ? toEntry(rows[0]) : null;
  }
}
