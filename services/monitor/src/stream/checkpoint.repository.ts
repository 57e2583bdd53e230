import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { StateRows } from './stream-processor';

export interface StoredCheckpoint {
  rows: StateRows;
  offsets: Map<string, number>;
  joinFrom: Map<number, number>;
}

/** The stream's state rows and the Kafka offsets they cover; both are only ever written in one transaction. */
@Injectable()
export class CheckpointRepository {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<StoredCheckpoint> {
    const rows: { key: string; value: unknown }[] = await this.dataSource.query('SELECT key, value FROM monitor.stream_state');
    const offsets: { topic: string; partition: number; next_offset: string; join_from_offset: string | null }[] = await this.dataSource.query(
      'SELECT topic, partition, next_offset, join_from_offset FROM monitor.stream_offsets',
    );
    const joinFrom = new Map<number, number>();
    for (const o of offsets) if (o.join_from_offset !== null) joinFrom.set(o.partition, Number(o.join_from_offset));
    return {
      rows: new Map(rows.map((r) => [r.key, r.value])),
      offsets: new Map(offsets.map((o) => [`${o.topic}:${o.partition}`, Number(o.next_offset)])),
      joinFrom,
    };
  }

  async write(manager: EntityManager, upserts: StateRows, deletes: string[]): Promise<void> {
    if (upserts.size > 0) {
      await manager.query(
        `INSERT INTO monitor.stream_state (key, value) SELECT * FROM unnest($1::text[], $2::jsonb[])
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
        [[...upserts.keys()], [...upserts.values()]],
      );
    }
    if (deletes.length > 0) await manager.query('DELETE FROM monitor.stream_state WHERE key = ANY($1::text[])', [deletes]);
  }

  async writeOffsets(manager: EntityManager, offsets: Map<string, number>, joinFrom: Map<number, number>, predictionsTopic: string): Promise<void> {
    if (offsets.size === 0) return;
    const topics: string[] = [];
    const partitions: number[] = [];
    const nexts: number[] = [];
    const joins: (number | null)[] = [];
    for (const [position, next] of offsets) {
      const split = position.lastIndexOf(':');
      const topic = position.slice(0, split);
      const partition = Number(position.slice(split + 1));
      topics.push(topic);
      partitions.push(partition);
      nexts.push(next);
      joins.push(topic === predictionsTopic ? (joinFrom.get(partition) ?? null) : null);
    }
    await manager.query(
      `INSERT INTO monitor.stream_offsets (topic, partition, next_offset, join_from_offset)
       SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::bigint[])
       ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, join_from_offset = EXCLUDED.join_from_offset`,
      [topics, partitions, nexts, joins],
    );
  }
}
