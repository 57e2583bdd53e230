// The platform's own API keys, made by the operator's tooling rather than by governance: the admin's and one per
// service, each in its own file of mode 0600 under the data directory, and the seed file governance reads, which
// holds only their hashes. Keys already made are kept; the admin key is printed the one time it is made.
//   node -r @swc-node/register deploy/local/platform-keys.ts <data dir>
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateApiKey, SeedKey, seedKeyOf, SeedKeysFile } from '@mlops/auth';
import { SERVICE_NAMES } from '@mlops/contracts';

interface KeyFile {
  path: string;
  principal: SeedKey['principal'];
  description: string;
}

/** The key in `path`, made (mode 0600) when the file does not exist; `made` says which. */
function keyIn(path: string): { apiKey: string; made: boolean } {
  if (existsSync(path)) return { apiKey: readFileSync(path, 'utf8').trim(), made: false };
  const { apiKey } = generateApiKey();
  writeFileSync(path, `${apiKey}\n`, { mode: 0o600, flag: 'wx' });
  return { apiKey, made: true };
}

async function main(dataDir: string): Promise<void> {
  const keysDir = join(dataDir, 'keys');
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  chmodSync(keysDir, 0o700);
  // Services first and the admin last: the seeds commit in this order, so a service that accepts the admin key
  // knows every service key too.
  const files: KeyFile[] = [
    ...SERVICE_NAMES.map((service) => ({
      path: join(keysDir, `${service}.key`),
      principal: { name: `service-${service}`, kind: 'service' as const, roles: ['service' as const] },
      description: `${service}'s own key (MLOPS_SERVICE_API_KEY)`,
    })),
    { path: join(dataDir, 'admin.key'), principal: { name: 'admin', kind: 'person', roles: ['admin'] }, description: 'the platform admin key' },
  ];
  const keys = files.map((file) => ({ ...file, ...keyIn(file.path) }));
  const seedPath = join(keysDir, 'governance-seed.json');
  if (keys.some((key) => key.made) || !existsSync(seedPath)) {
    const seed: SeedKeysFile = { keys: await Promise.all(keys.map((key) => seedKeyOf(key.apiKey, key.principal, key.description))) };
    writeFileSync(seedPath, `${JSON.stringify(seed, null, 2)}\n`, { mode: 0o600 });
  }
  const admin = keys[keys.length - 1];
  if (admin.made) {
    process.stdout.write(
      [
        '',
        '  The platform admin API key (shown this once; also in .data/admin.key, mode 0600):',
        '',
        `    ${admin.apiKey}`,
        '',
        '  Use it with the CLI: export MLOPS_API_KEY="$(cat .data/admin.key)", then `mlops keys create` for everyone else.',
        '',
      ].join('\n'),
    );
  }
}

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: platform-keys.ts <data dir>\n');
  process.exit(2);
}
main(dataDir).catch((err: Error) => {
  process.stderr.write(`platform-keys: ${err.message}\n`);
  process.exit(1);
});
