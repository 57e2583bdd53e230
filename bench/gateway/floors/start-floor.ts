import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@mlops/testing';

export interface FloorServer {
  port: number;
  child: ChildProcess;
  /** CPU seconds the process has used so far. */
  cpuSeconds(): number;
}

/** Starts one of the floor servers beside this file in its own process and waits for the port it announces. */
export async function startFloor(file: string, ...args: string[]): Promise<FloorServer> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, file), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before listening`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
  });
  const cpuSeconds = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  return { port, child, cpuSeconds };
}
