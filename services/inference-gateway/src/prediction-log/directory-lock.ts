import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'lock';

/**
 * Claims a directory for this process: the file `lock` holds its pid. A directory whose lock names another live
 * process is refused (two gateways replaying one spool or journal would publish its records twice); a lock left by a
 * process that died is taken over.
 */
export function lockDirectory(dir: string, what: string): void {
  const path = join(dir, LOCK_FILE);
  if (existsSync(path)) {
    const holder = Number(readFileSync(path, 'utf8'));
    if (holder !== process.pid && isAlive(holder)) {
      throw new Error(`${what} ${dir} is in use by process ${holder}; give each gateway its own MLOPS_GATEWAY_PREDICTION_SPOOL_DIR`);
    }
  }
  writeFileSync(path, String(process.pid));
}

/** Lets the directory go, if this process holds it. */
export function unlockDirectory(dir: string): void {
  const path = join(dir, LOCK_FILE);
  if (existsSync(path) && readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
