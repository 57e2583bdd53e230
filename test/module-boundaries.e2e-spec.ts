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

  describe('scopes', () => {
    const importTesting = "import { waitFor } from '@mlops/testing';\nexport const probe = waitFor;\n";

    it('refuses libs/testing in a service\'s production code', async () => {
      const errors = await boundaryErrors('services/trainer/src/boundary-probe.ts', importTesting);
      expect(errors).toEqual([expect.stringContaining('scope:testing')]);
    });

    it.each(['services/trainer/src/boundary-probe.spec.ts', 'services/trainer/src/boundary-probe.int-spec.ts', 'services/trainer/src/test-support/boundary-probe.ts', 'test/boundary-probe.e2e-spec.ts', 'bench/boundary-probe.ts'])(
      'lets test code import libs/testing: %s',
      async (path) => {
        expect(await boundaryErrors(path, importTesting)).toEqual([]);
      },
    );

    it('refuses libs/testing in a shared lib and in the CLI', async () => {
      expect(await boundaryErrors('libs/storage/src/boundary-probe.ts', importTesting)).toEqual([expect.stringContaining('"scope:shared" can only depend on libs tagged with "scope:shared"')]);
      expect(await boundaryErrors('apps/cli/src/boundary-probe.ts', importTesting)).toHaveLength(1);
    });

    it('refuses a service-agnostic lib or the CLI importing the service runtime (service-kit)', async () => {
      const importServiceKit = "import { PLATFORM_CONFIG } from '@mlops/service-kit';\nexport const probe = PLATFORM_CONFIG;\n";
      expect(await boundaryErrors('libs/ml/src/boundary-probe.ts', importServiceKit)).toEqual([expect.stringContaining('scope:shared')]);
      expect(await boundaryErrors('apps/cli/src/boundary-probe.ts', importServiceKit)).toHaveLength(1);
      expect(await boundaryErrors('services/trainer/src/boundary-probe.ts', importServiceKit)).toEqual([]);
    });
  });

  describe('import cycles', () => {
    it('has none, type-only imports included', () => {
      const run = spawnSync('npm', ['run', '-s', 'lint:cycles'], { cwd: repo, encoding: 'utf8' });
      expect(run.stdout).toContain('no circular dependency was found');
      expect(run.status).toBe(0);
    });

    it('refuses a value import that closes a cycle in lint', async () => {
      // online-value.store imports the cache; the cache importing the store back closes the loop.
      const run = spawnSync('npx', ['eslint', '--format', 'json', '--stdin', '--stdin-filename', 'services/feature-store/src/online/online-value.cache.ts'], {
        cwd: repo,
        input: "import { OnlineValueStore } from './online-value.store';\nexport const probe = OnlineValueStore;\n",
        encoding: 'utf8',
      });
      const [result] = JSON.parse(run.stdout) as LintResult[];
      expect(result.messages.filter((m) => m.ruleId === 'import-x/no-cycle')).toHaveLength(1);
    });
  });
});
