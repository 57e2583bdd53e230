import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { BUCKETS } from '@mlops/storage';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';

type BackfillFormat = 'csv' | 'parquet';
const CONTENT_TYPES: Record<BackfillFormat, string> = { csv: 'text/csv', parquet: 'application/vnd.apache.parquet' };


/** `key=value` join-key pairs; digits stay strings, the service reads int64 keys from either. */
function parseEntity(text: string): Record<string, string> {
  const entity: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0) throw new CliError(`--entity ${text}: expected key=value[,key=value]`, EXIT.usage);
    entity[key] = rest.join('=');
  }
  return entity;
}

export function registerFeaturesCommand(program: Command, ctx: CliContext): void {
  const features = program.command('features').description('feature views and online feature values');

  features
    .command('views')
    .description('list the newest version of every feature view')
    .action(async () => {
      const result = await ctx.featureStore.listFeatureViews();
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'name', value: (v) => v.name },
          { header: 'version', value: (v) => v.version },
          { header: 'entities', value: (v) => v.definition.entities.join(',') },
          { header: 'topic', value: (v) => v.definition.source.topic },
          { header: 'features', value: (v) => v.definition.schema.map((f) => `${f.name}:${f.type}`).join(',') },
          { header: 'ttl s', value: (v) => v.definition.ttlSeconds },
          { header: 'owner', value: (v) => v.definition.owner },
        ]),
      );
    });

  features
    .command('get')
    .description('read online values, e.g. --entity customer_id=c1 --feature txn:amount')
    .requiredOption('--entity <key=value...>', 'join keys of one entity; repeat for several entities', (v: string, all: string[] = []) => [...all, v])
    .requiredOption('--feature <view:feature...>', 'feature ref; repeat for several', (v: string, all: string[] = []) => [...all, v])
    .action(async (opts: { entity: string[]; feature: string[] }) => {
      const result = await ctx.featureStore.readOnline({ body: { entities: opts.entity.map(parseEntity), features: opts.feature } });
      const rows = result.results.flatMap((r) =>
        Object.entries(r.features).map(([ref, v]) => ({ entity: JSON.stringify(r.entity), ref, ...v })),
      );
      printResult(ctx.output, result, () =>
        formatTable(rows, [
          { header: 'entity', value: (r) => r.entity },
          { header: 'feature', value: (r) => r.ref },
          { header: 'value', value: (r) => (r.value === null ? 'null' : String(r.value)) },
          { header: 'status', value: (r) => r.status },
          { header: 'event time', value: (r) => r.eventTime },
        ]),
      );
    });

  features
    .command('backfill <view> <file>')
    .description('load a view\'s history from a CSV or Parquet file: uploads it to object storage, then validates and writes every row')
    .option('--format <format>', 'csv or parquet (default: from the file extension)')
    .action(async (view: string, file: string, opts: { format?: string }) => {
      const format = backfillFormat(file, opts.format);
      // Into the datasets bucket, where the feature store reads backfills from, pinned by the sha256 of the upload.
      const uploaded = await ctx.uploads.upload(ctx.output, file, BUCKETS.datasets, `uploads/backfills/${view}/${randomUUID()}.${format}`, CONTENT_TYPES[format]);
      const result = await ctx.featureStore.backfill({ params: { name: view }, body: { uri: uploaded.uri, sha256: uploaded.sha256, format } });
      printResult(ctx.output, { ...result, file: { uri: uploaded.uri, sha256: uploaded.sha256, sizeBytes: uploaded.sizeBytes } }, (r) =>
        [
          `backfilled ${r.view} v${r.version} from ${r.file.uri} (sha256 ${r.file.sha256}): ${r.rows} rows, ${r.written} written, ${r.rejected} rejected`,
          ...(r.rejections.length > 0
            ? ['', formatTable(r.rejections, [{ header: 'row', value: (x) => x.row }, { header: 'reason', value: (x) => x.reason }])]
            : []),
          ...(r.rejected > r.rejections.length ? [`(first ${r.rejections.length} of ${r.rejected} rejections shown)`] : []),
        ].join('\n'),
      );
    });
}

function backfillFormat(file: string, given: string | undefined): BackfillFormat {
  const format = (given ?? extname(file).slice(1)).toLowerCase();
  if (format === 'csv' || format === 'parquet') return format;
  throw new CliError(
    given ? `--format ${given}: expected csv or parquet` : `${file}: cannot tell the format from the extension; give --format csv or --format parquet`,
    EXIT.usage,
  );
}


