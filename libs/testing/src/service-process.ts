import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { localCredentials } from '@mlops/config';
import type { ServiceName } from '@mlops/contracts';
import { freePort } from './free-port';
import { getJson } from './http-json';
import { publishTestKeys, serviceTestKey } from './test-keys';
import { waitFor } from './wait-for';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

const HTTP_LISTENING = /listening on http:\/\/[^:"]+:(\d+)/;
const GRPC_LISTENING = /gRPC \w+ listening on [^:"]+:(\d+)/;
// Below info, a service does not log the port it bound, so it is given one (and the race is accepted).
const QUIET_LEVELS = ['warn', 'error', 'fatal'];

/**
 * A service started the way operators start it: its own process, configured only by environment variables.
 * Unless a test fixes the port, the service binds any free port itself and the port is read from its start-up
 * log: a port picked by the test and bound later can be taken in between by any outgoing connection.
 */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<number | null>;
  private portNumber = 0;

  private constructor(
    readonly service: ServiceName,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Resolves once the service listens for HTTP, or at once when `MLOPS_HTTP_PORT` is given. The service gets its
   * test key as MLOPS_SERVICE_API_KEY, and every test key (testApiKey) is made known to it first.
   */
  static async start(service: ServiceName, env: Record<string, string> = {}): Promise<ServiceProcess> {
    if (!env.MLOPS_HTTP_PORT && QUIET_LEVELS.includes(env.MLOPS_LOG_LEVEL ?? '')) env = { ...env, MLOPS_HTTP_PORT: String(await freePort()) };
    env = { MLOPS_SERVICE_API_KEY: serviceTestKey(service), ...env };
    await publishTestKeys();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join('services', service, 'src', 'main.ts')], {
      cwd: REPO_ROOT,
      // The service's own generated credentials, as `platform up` hands them over; a test may override any of them.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', MLOPS_HTTP_HOST: '127.0.0.1', MLOPS_HTTP_PORT: '0', ...localCredentials(service), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new ServiceProcess(service, child);
    if (env.MLOPS_HTTP_PORT) {
      proc.portNumber = Number(env.MLOPS_HTTP_PORT);
      return proc;
    }
    // A caller that gets no handle cannot stop the process, and a live child would keep the test runner open.
    proc.portNumber = await proc.loggedPort(HTTP_LISTENING).catch(async (err: unknown) => {
      await proc.stop();
      throw err;
    });
    return proc;
  }

  get port(): number {
    return this.portNumber;
  }

  /** The process id, e.g. to read its memory from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Waits for the service to log a line whose first capture group is a port, e.g. the one its gRPC server bound. */
  async loggedPort(pattern: RegExp, timeoutMs = 90_000): Promise<number> {
    const match = await this.untilRunning(`${this.service} to log ${pattern}`, timeoutMs, async () => pattern.exec(this.output) ?? undefined);
    return Number(match[1]);
  }

  /** The port the service's gRPC server bound, as it logged it: start it with its gRPC port set to 0. */
  grpcPort(): Promise<number> {
    return this.loggedPort(GRPC_LISTENING);
  }

  /** Polls `path` until it answers 200. */
  async waitUntilReady(path = '/health/ready', timeoutMs = 90_000): Promise<void> {
    await this.untilRunning(`${this.service} ready at ${path}`, timeoutMs, async () => (await getJson(`${this.url}${path}`)).status === 200);
  }

  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string {
    return this.output;
  }

  /** kill -9: the process gets no chance to flush or close anything, as in a crash or an OOM kill. */
  async crash(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timeout = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    const code = await this.exited;
    clearTimeout(timeout);
    return code;
  }

  /**
   * Fails at once if the process exits, and either way the error carries the end of the process's own output, so
   * a service that never came up says why.
   */
  private async untilRunning<T>(description: string, timeoutMs: number, probe: () => Promise<T | undefined | false>): Promise<T> {
    try {
      return await waitFor(description, async () => {
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          throw new ExitedEarly(`exited (${this.child.exitCode ?? this.child.signalCode}) first`);
        }
        return probe();
      }, { timeoutMs, intervalMs: 50, stopOn: (err) => err instanceof ExitedEarly });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- last output of ${this.service} ---\n${this.output.slice(-4000)}`);
    }
  }
}

class ExitedEarly extends Error {}
