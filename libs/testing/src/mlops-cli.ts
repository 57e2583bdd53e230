import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { localCredentials } from '@mlops/config';
import { REPO_ROOT } from './service-process';
import { testApiKey } from './test-keys';

const run = promisify(execFile);

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The `mlops` CLI as a user runs it: its own process, told where the services are (and its key, the test admin's,
 * and the local uploader's object-storage credentials, unless `endpoints` says otherwise) only by environment variables.
 */
export async function runMlops(endpoints: Record<string, string>, args: string[], timeoutMs = 60_000): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(join(REPO_ROOT, 'apps/cli/bin/mlops'), args, {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MLOPS_API_KEY: testApiKey('admin'), ...localCredentials('uploader'), ...endpoints },
      timeout: timeoutMs,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as CliRun;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
