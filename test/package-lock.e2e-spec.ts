import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..');

describe('package-lock.json', () => {
  // `npm ci` (deploy/local/install-packages) refuses a lockfile npm would rewrite, and `npm install` would leave a
  // fresh clone modified: the committed lockfile must be exactly what npm writes for package.json, every
  // platform's optional binaries included.
  it('is what npm writes for package.json, so installing leaves the tree clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockfile-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(repo, file), join(dir, file));
      const run = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(readFileSync(join(dir, 'package-lock.json'), 'utf8') === readFileSync(join(repo, 'package-lock.json'), 'utf8')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
