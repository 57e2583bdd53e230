import { Command, InvalidArgumentError } from 'commander';
import type { ModelCardPatch, ModelCardResponse } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { printResult } from '../output';
import { readYamlFile } from '../yaml-file';

const FORMATS = ['markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

const format = (value: string): Format => {
  if (!(FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${FORMATS.join(', ')}`);
  return value as Format;
};

const versionNumber = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a version number (1, 2, ...)');
  return value;
};

function describeCompleteness(card: ModelCardResponse): string {
  const { complete, missing } = card.completeness;
  return complete ? 'card complete' : `card incomplete, missing: ${missing.join(', ')}`;
}

export function registerCardCommand(program: Command, ctx: CliContext): void {
  program
    .command('card <model> <version>')
    .description("show a version's model card (Markdown by default); --edit applies a YAML file of editable fields")
    .option('--format <format>', `${FORMATS.join(' or ')}`, format, 'markdown')
    .option('--edit <file>', 'YAML or JSON with fields to set (null clears one): description, owners, useCases, limitations, ...')
    .action(async (model: string, version: string, opts: { format: Format; edit?: string }) => {
      const params = { name: model, version: versionNumber(version) };
      if (opts.edit) {
        // Unchecked here: governance names each bad field.
        const edited = await ctx.governance.editModelCard({ params, body: (await readYamlFile(opts.edit)) as ModelCardPatch });
        printResult(ctx.output, edited, (card) => `edited ${model} v${version}: ${describeCompleteness(card)}`);
        return;
      }
      if (ctx.output.json) {
        printResult(ctx.output, await ctx.governance.modelCard({ params }), () => '');
        return;
      }
      const rendered = opts.format === 'markdown' ? ctx.governance.modelCardMarkdown({ params }) : ctx.governance.modelCardHtml({ params });
      process.stdout.write(await (await rendered).text());
    });
}
