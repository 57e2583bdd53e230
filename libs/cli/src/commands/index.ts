import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerAuditCommand } from './audit.command';

/** Every command group, one line each. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerAuditCommand(program, ctx);
}
