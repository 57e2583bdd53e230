import { Injectable } from '@nestjs/common';
import type { BackfillRequest, BackfillResult } from '@mlops/contracts';
import { ObjectStore } from '@mlops/storage';
import { FeatureCatalog } from '../definitions/feature-catalog';
import { FeatureRow, validateRecord } from '../ingestion/record-validator';
import { FeatureWriter } from '../storage/feature-writer';
import { InvalidBackfillError, recordsFromCsv, recordsFromParquet } from './backfill-records';

export type { BackfillRequest, BackfillResult };

const WRITE_CHUNK = 5000;
const SHOWN_REJECTIONS = 20;

/**
 * Loads history from a file in object storage through the same validation and writer as streamed records. A
 * row's hash is that of its JSON form, so running the same backfill twice adds nothing.
 */
@Injectable()
export class BackfillView {
  constructor(
    private readonly catalog: FeatureCatalog,
    private readonly store: ObjectStore,
    private readonly writer: FeatureWriter,
  ) {}

  async execute(viewName: string, request: BackfillRequest): Promise<BackfillResult> {
    await this.catalog.refresh();
    const view = this.catalog.view(viewName);
    if (!view) throw new InvalidBackfillError(`no feature view ${viewName}`);
    const bytes = await this.store.readVerified(request.uri, request.sha256);
    const records = request.format === 'csv' ? recordsFromCsv(bytes.toString('utf8'), view) : recordsFromParquet(bytes);
    const result: BackfillResult = { view: view.name, version: view.version, rows: records.length, written: 0, rejected: 0, rejections: [] };
    let batch: FeatureRow[] = [];
    for (const [i, record] of records.entries()) {
      const outcome = validateRecord(view, Buffer.from(JSON.stringify(record)), record);
      if (!outcome.ok) {
        result.rejected++;
        if (result.rejections.length < SHOWN_REJECTIONS) result.rejections.push({ row: i + 1, reason: outcome.reason });
        continue;
      }
      batch.push(outcome.row);
      if (batch.length === WRITE_CHUNK) {
        await this.writer.write(batch);
        result.written += batch.length;
        batch = [];
      }
    }
    await this.writer.write(batch);
    result.written += batch.length;
    return result;
  }
}
