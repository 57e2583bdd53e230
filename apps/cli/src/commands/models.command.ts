import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import type { ModelSignature, ModelVersion } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';
import { fileSize, uploadWithProgress } from '../progress';

type TensorSpec = ModelSignature['inputs'][number];

const keyValues = (record: Record<string, string | number>) =>
  Object.entries(record)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
const shape = (spec: TensorSpec) => `${spec.name}: ${spec.elementType}[${spec.shape.map((d) => d ?? '?').join(', ')}]`;

export function registerModelsCommand(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('registered models, their versions and artifacts');

  models
    .command('list')
    .description('list registered models')
    .option('--query <text>', 'only models whose name or description contains this')
    .option('--tag <tag>', 'only models with this tag (key or key:value)')
    .option('--limit <n>', 'at most this many models', '50')
    .action(async (opts: { query?: string; tag?: string; limit: string }) => {
      const result = await ctx.registry.searchModels({ query: { limit: opts.limit, q: opts.query, tag: opts.tag } });
      printResult(ctx.output, result, (r) =>
        formatTable(r.items, [
          { header: 'name', value: (m) => m.name },
          { header: 'latest', value: (m) => m.latestVersion },
          { header: 'owner', value: (m) => m.owner },
          { header: 'risk', value: (m) => m.riskTier },
          { header: 'tags', value: (m) => keyValues(m.tags) },
        ]),
      );
    });

  models
    .command('show <name>')
    .description('show a model and its versions, or one version with its signature')
    .option('--version <n>', 'show this version in detail')
    .action(async (name: string, opts: { version?: string }) => {
      if (opts.version) {
        const version = await ctx.registry.getVersion({ params: { name, version: opts.version } });
        printResult(ctx.output, version, describeVersion);
        return;
      }
      const [model, versions] = await Promise.all([
        ctx.registry.getModel({ params: { name } }),
        ctx.registry.listVersions({ params: { name }, query: { limit: 20 } }),
      ]);
      printResult(ctx.output, { ...model, versions: versions.items }, (r) =>
        [
          `${r.name} (owner ${r.owner}, risk ${r.riskTier})${r.description ? `: ${r.description}` : ''}`,
          '',
          formatTable(r.versions, [
            { header: 'version', value: (v) => v.version },
            { header: 'status', value: (v) => v.status },
            { header: 'approval', value: (v) => v.approvalStatus },
            { header: 'metrics', value: (v) => keyValues(v.metrics) },
            { header: 'size', value: (v) => v.artifact.sizeBytes },
            { header: 'created', value: (v) => v.createdAt },
          ]),
        ].join('\n'),
      );
    });

  models
    .command('register')
    .description('upload an ONNX file as the next version of a model (created first if it does not exist)')
    .requiredOption('--name <name>', 'model name (a lowercase slug)')
    .requiredOption('--file <path>', 'the .onnx file')
    .option('--owner <owner>', 'owner, when the model is created by this command', userInfo().username)
    .option('--metrics <json>', 'metrics as a JSON object, e.g. \'{"auc":0.91}\'')
    .option('--tags <json>', 'tags as a JSON object')
    .action(async (opts: { name: string; file: string; owner: string; metrics?: string; tags?: string }) => {
      const size = await fileSize(opts.file);
      await ensureModel(ctx, opts.name, opts.owner);
      const upload = uploadWithProgress(ctx.output, opts.file, size);
      try {
        const version = await ctx.registry.uploadVersion(
          { params: { name: opts.name }, query: { metrics: opts.metrics, tags: opts.tags }, body: Readable.toWeb(upload.stream) as ReadableStream },
          { headers: { 'content-length': String(size) } },
        );
        upload.stop();
        printResult(ctx.output, version, (v) => `registered ${opts.name} version ${v.version}\n${describeVersion(v)}`);
      } finally {
        upload.stop();
      }
    });
}


async function ensureModel(ctx: CliContext, name: string, owner: string): Promise<void> {
  try {
    await ctx.registry.getModel({ params: { name } });
  } catch (err) {
    if (!(err instanceof CliError) || err.exitCode !== EXIT.notFound) throw err;
    await ctx.registry.createModel({ body: { name, owner } });
  }
}


function describeVersion(v: ModelVersion): string {
  return [
    `version   ${v.version} (${v.status}, approval ${v.approvalStatus})`,
    `artifact  ${v.artifact.uri} (${v.artifact.sizeBytes} bytes, sha256 ${v.artifact.sha256})`,
    `producer  ${v.signature.producer ?? '-'}${v.signature.opset !== undefined ? `, opset ${v.signature.opset}` : ''}`,
    ...v.signature.inputs.map((spec) => `input     ${shape(spec)}`),
    ...v.signature.outputs.map((spec) => `output    ${shape(spec)}`),
    `metrics   ${keyValues(v.metrics) || '-'}`,
  ].join('\n');
}
