import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const repo = join(__dirname, '..');

interface LintResult {
  messages: { ruleId: string | null; message: string }[];
}

/** Lints source text with the repo's own eslint run, as if it were a file at `path`; returns boundary complaints. */
async function boundaryErrors(path: string, source: string): Promise<string[]> {
  const run = spawnSync('npx', ['eslint', '--format', 'json', '--stdin', '--stdin-filename', path], {
    cwd: repo,
    input: source,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as LintResult[];
  return result.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

describe('Nx module boundaries are enforced by lint', () => {
  beforeAll(() => {
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: repo, stdio: 'ignore' });
  });

  it('refuses a service importing another service', async () => {
    const errors = await boundaryErrors(
      'services/registry/src/boundary-probe.ts',
      "import { GovernanceModule } from '../../governance/src/app.module';\nexport const probe = GovernanceModule;\n",
    );
    expect(errors).toHaveLength(1);
  });

  it('refuses libs/contracts importing any lib of ours', async () => {
    const errors = await boundaryErrors(
      'libs/contracts/src/boundary-probe.ts',
      "import { createKafka } from '@mlops/messaging';\nexport const probe = createKafka;\n",
    );
    expect(errors).toEqual([expect.stringContaining('type:contracts')]);
  });

  it('lets a service import libs', async () => {
    const errors = await boundaryErrors(
      'services/registry/src/boundary-probe.ts',
      "import { createKafka } from '@mlops/messaging';\nexport const probe = createKafka;\n",
    );
    expect(errors).toEqual([]);
  });
});
