import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PolicyDefinition, PolicyRecord } from '@mlops/contracts';

interface PolicyRow {
  model_name: string;
  version: number;
  definition: PolicyDefinition;
  applied_by: string;
  applied_at: Date;
}

const toRecord = (row: PolicyRow): PolicyRecord => ({
  model: row.model_name,
  version: row.version,
  definition: row.definition,
  appliedBy: row.applied_by,
  appliedAt: row.applied_at.toISOString(),
});

/** Every version of every model's policy; the highest version of a model's is in force. */
@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serializes applies, so two at once cannot both take the next version of a policy. */
  async lockForApply(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('governance.policies'))`);
  }

  async inForce(manager: EntityManager = this.dataSource.manager, modelNames?: string[]): Promise<Map<string, PolicyRecord>> {
    const rows: PolicyRow[] = await manager.query(
      `SELECT DISTINCT ON (model_name) * FROM governance.policies
       WHERE $1::text[] IS NULL OR model_name = ANY($1) ORDER BY model_name, version DESC`,
      [modelNames ?? null],
    );
    return new Map(rows.map((row) => [row.model_name, toRecord(row)]));
  }

  async inForceFor(manager: EntityManager, modelName: string): Promise<PolicyRecord | null> {
    return (await this.inForce(manager, [modelName])).get(modelName) ?? null;
  }

  async versions(modelName: string): Promise<PolicyRecord[]> {
    const rows: PolicyRow[] = await this.dataSource.query('SELECT * FROM governance.policies WHERE model_name = $1 ORDER BY version', [modelName]);
    return rows.map(toRecord);
  }

  async insert(manager: EntityManager, definition: PolicyDefinition, version: number, appliedBy: string): Promise<void> {
    await manager.query('INSERT INTO governance.policies (model_name, version, definition, applied_by) VALUES ($1, $2, $3, $4)', [
      definition.model,
      version,
      JSON.stringify(definition),
      appliedBy,
    ]);
  }
}
