import { Command, InvalidArgumentError } from 'commander';
import type { DeploymentRequest, DeploymentSpec } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { CliError, EXIT } from '../cli-error';
import { printResult } from '../output';


const MODES = ['canary', 'shadow', 'ab'];

const positiveInt = (value: string) => {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('must be a version number (1, 2, ...)');
  return Number(value);
};

export function describeSpec(spec: DeploymentSpec): string {
  const champion = spec.champion ? `champion v${spec.champion.version}` : 'nothing serving';
  const c = spec.challenger;
  const challenger = c ? `, challenger v${c.version} (${c.mode}${'weight' in c ? ` ${c.weight}` : ''}${'stickyKey' in c ? ` by ${c.stickyKey}` : ''})` : '';
  return `${spec.modelName} revision ${spec.revision}: ${champion}${challenger}`;
}

export function registerDeployCommand(program: Command, ctx: CliContext): void {
  program
    .command('deploy <model>')
    .description('set what serves a model: an approved champion and optionally an approved challenger')
    .requiredOption('--champion <version>', 'version that answers requests', positiveInt)
    .option('--challenger <version>', 'version tried beside the champion', positiveInt)
    .option('--mode <mode>', `how the challenger is tried: ${MODES.join(', ')}`, 'canary')
    .option('--weight <fraction>', 'share of traffic for canary or ab, between 0 and 1', parseFloat)
    .option('--sticky-key <key>', 'request field that keeps a caller on one side in ab mode')
    .option('--reason <text>', 'why the change is made', 'deployed with the mlops CLI')
    .action(async (model: string, opts: DeployOptions) => {
      const body = { champion: opts.champion, challenger: challengerOf(opts), reason: opts.reason };
      const spec = await ctx.registry.deploy({ params: { name: model }, body });
      printResult(ctx.output, spec, (s) => `deployed ${describeSpec(s)}`);
    });
}

interface DeployOptions {
  champion: number;
  challenger?: number;
  mode: string;
  weight?: number;
  stickyKey?: string;
  reason: string;
}

function challengerOf(opts: DeployOptions): DeploymentRequest['challenger'] {
  if (opts.challenger === undefined) return null;
  if (!MODES.includes(opts.mode)) throw new CliError(`--mode must be one of ${MODES.join(', ')}, got "${opts.mode}"`, EXIT.usage);
  if (opts.mode === 'shadow') return { version: opts.challenger, mode: 'shadow' };
  if (opts.weight === undefined) throw new CliError(`--weight is required with --mode ${opts.mode}`, EXIT.usage);
  if (opts.mode === 'ab') {
    if (!opts.stickyKey) throw new CliError('--sticky-key is required with --mode ab', EXIT.usage);
    return { version: opts.challenger, mode: 'ab', weight: opts.weight, stickyKey: opts.stickyKey };
  }
  return { version: opts.challenger, mode: 'canary', weight: opts.weight };
}
