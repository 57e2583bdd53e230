import { Command, CommanderError } from 'commander';
import { ConfigError } from '@mlops/config';
import { CliContext } from './cli-context';
import { loadApiKey } from './cli-credentials';
import { loadCliEndpoints } from './cli-endpoints';
import { CliError, EXIT } from './cli-error';
import { registerCommands } from './commands';

async function main(argv: string[]): Promise<number> {
  const program = new Command('mlops')
    .description('Command-line tool of the mlops platform')
    .option('--json', 'print machine-readable JSON instead of tables', false)
    .exitOverride()
    .showHelpAfterError();
  const ctx = new CliContext(loadCliEndpoints(), () => ({ json: Boolean(program.opts().json) }), loadApiKey());
  registerCommands(program, ctx);
  await program.parseAsync(argv);
  return 0;
}

/** A piped stdout is asynchronous: exiting before it drains would cut `--json` output short. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv).then(exitAfterFlush, (err: unknown) => {
  if (err instanceof CommanderError) return exitAfterFlush(err.exitCode === 0 ? 0 : EXIT.usage);
  const code = err instanceof CliError ? err.exitCode : err instanceof ConfigError ? EXIT.usage : EXIT.failure;
  process.stderr.write(`mlops: ${(err as Error).message}\n`);
  exitAfterFlush(code);
});
