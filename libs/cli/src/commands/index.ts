import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerApplyCommand } from './apply.command';
import { registerAuditCommand } from './audit.command';
import { registerFeaturesCommand } from './features.command';
import { registerKeysCommand } from './keys.command';
import { registerRegistryCommands } from './models-and-deployments';
import { registerSchedulesCommand } from './schedules.command';
import { registerRunsCommand } from './runs.command';
import { registerTrainCommand } from './train.command';

/** Every command group, one line each. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerAuditCommand(program, ctx);
  registerApplyCommand(program, ctx);
  registerFeaturesCommand(program, ctx);
  registerRegistryCommands(program, ctx);
  registerSchedulesCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerRunsCommand(program, ctx);
  registerKeysCommand(program, ctx);
}
