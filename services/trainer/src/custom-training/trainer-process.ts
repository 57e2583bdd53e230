import { spawn } from 'node:child_process';
import { OutputTail } from './output-tail';

export interface TrainerProcessOptions {
  executable: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs: number;
  logMaxBytes: number;
}

export interface TrainerProcessOutcome {
  /** Exit code, or null when a signal ended it. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Its process group id (= its pid), whose members are all signalled when it ends. */
  pid: number;
  /** stdout and stderr interleaved as they arrived, at most logMaxBytes of the tail. */
  output: string;
  droppedBytes: number;
}

/**
 * Runs a trainer executable as the leader of its own process group, so a timeout ends everything it started
 * (SIGTERM to the group, SIGKILL after the grace period) and nothing it left behind outlives the run.
 */
export function runTrainerProcess(options: TrainerProcessOptions): Promise<TrainerProcessOutcome> {
  return new Promise((resolve, reject) => {
    const tail = new OutputTail(options.logMaxBytes);
    const child = spawn(options.executable, options.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => tail.append(chunk));
    child.stderr.on('data', (chunk: Buffer) => tail.append(chunk));
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    const timeout = setTimeout(() => {
      timedOut = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.killGraceMs);
    }, options.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timeout);
      reject(err);
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timeout);
      const finish = () => {
        // A process the trainer started and left running (or one ignoring SIGTERM) holds the pipes open
        // and would outlive the run: the group is killed once the leader is gone.
        signalGroup(child.pid, 'SIGKILL');
        const done = () => resolve({ exitCode, signal, timedOut, pid: child.pid!, output: tail.text(), droppedBytes: tail.droppedBytes });
        if (child.stdout.readableEnded && child.stderr.readableEnded) done();
        else child.once('close', done);
      };
      if (timedOut && killTimer) {
        // the leader ended on SIGTERM; members of its group get the rest of the grace period, then SIGKILL
        clearTimeout(killTimer);
        setTimeout(finish, groupAlive(child.pid) ? options.killGraceMs : 0);
      } else {
        finish();
      }
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
