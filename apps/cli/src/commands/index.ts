import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { registerApplyCommand } from './apply.command';
import { registerApprovalsCommand } from './approvals.command';
import { registerAuditCommand } from './audit.command';
import { registerCardCommand } from './card.command';
import { registerDeliveryCommand } from './delivery.command';
import { registerDriftCommand } from './drift.command';
import { registerFeaturesCommand } from './features.command';
import { registerPerformanceCommand } from './performance.command';
import { registerKeysCommand } from './keys.command';
import { registerRegistryCommands } from './models-and-deployments';
import { registerPoliciesCommand } from './policies.command';
import { registerSchedulesCommand } from './schedules.command';
import { registerRunsCommand } from './runs.command';
import { registerScoreCommand } from './score.command';
import { registerTrainCommand } from './train.command';

/** Every command group, one line each. */
export function registerCommands(program: Command, ctx: CliContext): void {
  registerAuditCommand(program, ctx);
  registerCardCommand(program, ctx);
  registerScoreCommand(program, ctx);
  registerDeliveryCommand(program, ctx);
  registerApplyCommand(program, ctx);
  registerFeaturesCommand(program, ctx);
  registerRegistryCommands(program, ctx);
  registerSchedulesCommand(program, ctx);
  registerTrainCommand(program, ctx);
  registerRunsCommand(program, ctx);
  registerPoliciesCommand(program, ctx);
  registerApprovalsCommand(program, ctx);
  registerDriftCommand(program, ctx);
  registerPerformanceCommand(program, ctx);
  registerKeysCommand(program, ctx);
}
