import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MonitoringPolicy } from '@mlops/contracts';

@Injectable()
export class PolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async save(modelName: string, policy: MonitoringPolicy): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO monitor.policies (model_name, policy) VALUES ($1, $2)
       ON CONFLICT (model_name) DO UPDATE SET policy = EXCLUDED.policy, updated_at = now()`,
      [modelName, JSON.stringify(policy)],
    );
  }

  async all(): Promise<Map<string, MonitoringPolicy>> {
    const rows: { model_name: string; policy: unknown }[] = await this.dataSource.query('SELECT model_name, policy FROM monitor.policies');
    return new Map(rows.map((row) => [row.model_name, MonitoringPolicy.parse(row.policy)]));
  }
}
