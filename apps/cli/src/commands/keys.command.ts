import type { Command } from 'commander';
import type { ApiKeyView, CreatePrincipalRequest, PrincipalView } from '@mlops/contracts';
import type { CliContext } from '../cli-context';
import { credentialsFile } from '../cli-credentials';
import { CliError, EXIT } from '../cli-error';
import { formatTable, printResult } from '../output';

/** As commander hands them over, unchecked: governance refuses a bad role or kind with a 400 naming it. */
interface CreateOptions {
  role?: CreatePrincipalRequest['roles'];
  kind: NonNullable<CreatePrincipalRequest['kind']>;
  expiresInDays: string;
  description: string;
}

const describeKeys = (keys: ApiKeyView[]) =>
  formatTable(keys, [
    { header: 'key id', value: (k) => k.keyId },
    { header: 'principal', value: (k) => k.principalName },
    { header: 'roles', value: (k) => k.roles.join(',') },
    { header: 'status', value: (k) => k.status },
    { header: 'created', value: (k) => k.createdAt },
    { header: 'expires', value: (k) => k.expiresAt ?? 'never' },
    { header: 'description', value: (k) => k.description },
  ]);

/** `mlops keys`: API keys of people and services, kept by governance (needs a key with keys:manage, e.g. the admin's). */
export function registerKeysCommand(program: Command, ctx: CliContext): void {
  const keys = program.command('keys').description('API keys of people and services (governance)');

  keys
    .command('create <principal>')
    .description('make a key for a principal, creating the principal first when --role is given; the key is shown once')
    .option('--role <role...>', 'roles of a new principal: admin, data-scientist, approver, auditor, app, service')
    .option('--kind <kind>', 'person or service, for a new principal', 'person')
    .option('--expires-in-days <n>', 'days until the key expires', '90')
    .option('--description <text>', 'what the key is for', '')
    .action(async (name: string, opts: CreateOptions) => {
      const principal = await principalFor(ctx, name, opts);
      const expiresInDays = Number(opts.expiresInDays);
      const created = await ctx.governance.createApiKey({ params: { id: principal.id }, body: { expiresInDays, description: opts.description } });
      printResult(ctx.output, created, (k) =>
        [
          `created key ${k.keyId} for ${k.principalName} (roles: ${k.roles.join(', ')}), expires ${k.expiresAt ?? 'never'}`,
          '',
          `  ${k.apiKey}`,
          '',
          `This is the only time the key is shown: governance keeps only its hash. Use it as MLOPS_API_KEY or put it in ${credentialsFile()}.`,
        ].join('\n'),
      );
    });

  keys
    .command('list')
    .description('keys without their secrets, oldest first')
    .option('--principal <name>', 'only this principal\'s keys')
    .option('--status <status>', 'active, expired or revoked')
    .action(async (opts: { principal?: string; status?: string }) => {
      const result = await ctx.governance.listApiKeys({ query: opts });
      printResult(ctx.output, result, (r) => describeKeys(r.items));
    });

  keys
    .command('revoke <keyId>')
    .description('revoke a key for good; every service refuses it within seconds')
    .action(async (keyId: string) => {
      const revoked = await ctx.governance.revokeApiKey({ params: { keyId } });
      printResult(ctx.output, revoked, (k) => `revoked ${k.keyId} of ${k.principalName} at ${k.revokedAt}\n${describeKeys([k])}`);
    });
}

/** The named principal; created with --role when it does not exist, refused when --role contradicts it. */
async function principalFor(ctx: CliContext, name: string, opts: CreateOptions): Promise<PrincipalView> {
  const { items } = await ctx.governance.listPrincipals({ query: { name } });
  const [existing] = items;
  if (existing) {
    const asked = [...new Set(opts.role ?? existing.roles)].sort().join(',');
    if (asked !== [...existing.roles].sort().join(',')) {
      throw new CliError(`principal ${name} has roles ${existing.roles.join(', ')}; a principal's roles are set when it is created`, EXIT.refused);
    }
    return existing;
  }
  if (!opts.role) throw new CliError(`principal ${name} does not exist: give --role to create it`, EXIT.usage);
  return ctx.governance.createPrincipal({ body: { name, kind: opts.kind, roles: opts.role } });
}
