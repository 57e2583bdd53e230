import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ServiceName } from '@mlops/contracts';
import { freePort } from './free-port';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A service started the way operators start it: its own process, configured only by environment variables. */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly service: ServiceName,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(service: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess> {
    const port = env.MLOPS_HTTP_PORT ? Number(env.MLOPS_HTTP_PORT) : await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join('services', service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MLOPS_HTTP_HOST: '127.0.0.1', MLOPS_HTTP_PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(service, port, child);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string {
    return this.output;
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timeout = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timeout);
    return code;
  }
}
