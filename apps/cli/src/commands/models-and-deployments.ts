import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerDeployCommand } from './deploy.command';
import { registerHistoryCommand } from './history.command';
import { registerModelsCommand } from './models.command';

/** The registry's command groups: `models`, `deploy`, `history`. */
export function registerRegistryCommands(program: Command, ctx: CliContext): void {
  registerModelsCommand(program, ctx);
  registerDeployCommand(program, ctx);
  registerHistoryCommand(program, ctx);
}
