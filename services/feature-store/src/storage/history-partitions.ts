import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** `YYYY-MM` of a time, in UTC: the offline history has one range partition per event month. */
export const monthOf = (time: Date): string => time.toISOString().slice(0, 7);

function monthBounds(month: string): { name: string; from: string; to: string } {
  const [year, m] = month.split('-').map(Number);
  const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
  return { name: `offline_history_${year}_${String(m).padStart(2, '0')}`, from: `${month}-01T00:00:00Z`, to: `${next}-01T00:00:00Z` };
}

/**
 * Creates monthly partitions of the offline history the first time a month is written. Known months are
 * remembered, so the common case costs nothing; creation is serialized across replicas by an advisory lock.
 */
@Injectable()
export class HistoryPartitions {
  /** Known months as year * 12 + month, so a row costs a number, not a string. */
  private readonly known = new Set<number>();

  constructor(private readonly dataSource: DataSource) {}

  async ensure(times: Iterable<Date>): Promise<void> {
    const missing = new Map<number, string>();
    for (const time of times) {
      const index = time.getUTCFullYear() * 12 + time.getUTCMonth();
      if (!this.known.has(index) && !missing.has(index)) missing.set(index, monthOf(time));
    }
    if (missing.size === 0) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query("SELECT pg_advisory_xact_lock(hashtext('feature_store.offline_history.partitions'))");
      for (const month of [...missing.values()].sort()) {
        const { name, from, to } = monthBounds(month);
        await manager.query(
          `CREATE TABLE IF NOT EXISTS feature_store.${name} PARTITION OF feature_store.offline_history FOR VALUES FROM ('${from}') TO ('${to}')`,
        );
      }
    });
    for (const index of missing.keys()) this.known.add(index);
  }
}
