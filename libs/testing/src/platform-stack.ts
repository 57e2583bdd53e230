import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, ServiceName } from '@mlops/contracts';
import { freePort } from './free-port';
import { ServiceProcess } from './service-process';

/** The ports one service keeps across restarts, so callers and peers find it again where it was. */
interface Ports {
  http: number;
  grpc?: number;
}

const GRPC_PORT_VARIABLE: Partial<Record<ServiceName, string>> = {
  'inference-gateway': 'MLOPS_GATEWAY_GRPC_PORT',
  'feature-store': 'MLOPS_FEATURE_STORE_GRPC_PORT',
};

/**
 * The six services as one platform on ports fixed at first start: a service killed and started again comes back
 * on the same ports with the same settings (the gateway with the same replica id and its own prediction spool, so
 * what a killed gateway left on disk is published by the next), as under a supervisor. Peers
 * find each other through the URL variables `platform up` sets. Logs stay at warn: a long run must not keep
 * megabytes of info lines in memory.
 */
export class PlatformStack {
  private readonly processes = new Map<ServiceName, ServiceProcess>();

  private readonly spoolDir = mkdtempSync(join(tmpdir(), 'platform-stack-spool-'));

  private constructor(
    private readonly ports: Map<ServiceName, Ports>,
    private readonly extraEnv: Partial<Record<ServiceName, Record<string, string>>>,
  ) {}

  static async start(extraEnv: Partial<Record<ServiceName, Record<string, string>>> = {}): Promise<PlatformStack> {
    const ports = new Map<ServiceName, Ports>();
    for (const service of SERVICE_NAMES) {
      ports.set(service, { http: await freePort(), ...(GRPC_PORT_VARIABLE[service] ? { grpc: await freePort() } : {}) });
    }
    const stack = new PlatformStack(ports, extraEnv);
    try {
      for (const service of SERVICE_NAMES) await stack.launch(service);
      await Promise.all(SERVICE_NAMES.map((service) => stack.process(service).waitUntilReady('/health/ready', 180_000)));
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.portsOf(service).http}`;
  }

  grpcPort(service: ServiceName): number {
    const port = this.portsOf(service).grpc;
    if (port === undefined) throw new Error(`${service} serves no gRPC`);
    return port;
  }

  process(service: ServiceName): ServiceProcess {
    const proc = this.processes.get(service);
    if (!proc) throw new Error(`${service} is not running`);
    return proc;
  }

  /** The process id of the running service, e.g. to read its RSS from /proc. */
  pid(service: ServiceName): number | undefined {
    return this.processes.get(service)?.pid;
  }

  /** kill -9, then the same service started again on its ports; resolves once the new process is spawned. */
  async crashAndRestart(service: ServiceName): Promise<void> {
    await this.process(service).crash();
    await this.launch(service);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.processes.values()].map((proc) => proc.stop()));
    this.processes.clear();
    rmSync(this.spoolDir, { recursive: true, force: true });
  }

  private portsOf(service: ServiceName): Ports {
    const ports = this.ports.get(service);
    if (!ports) throw new Error(`unknown service ${service}`);
    return ports;
  }

  private async launch(service: ServiceName): Promise<void> {
    const ports = this.portsOf(service);
    const grpcVariable = GRPC_PORT_VARIABLE[service];
    const env: Record<string, string> = {
      MLOPS_HTTP_PORT: String(ports.http),
      MLOPS_LOG_LEVEL: 'warn',
      ...(grpcVariable && ports.grpc ? { [grpcVariable]: String(ports.grpc) } : {}),
      ...this.peerUrls(service),
      ...this.extraEnv[service],
    };
    this.processes.set(service, await ServiceProcess.start(service, env));
  }

  private peerUrls(service: ServiceName): Record<string, string> {
    if (service === 'inference-gateway') {
      return {
        MLOPS_GATEWAY_REGISTRY_URL: this.url('registry'),
        MLOPS_GATEWAY_FEATURE_STORE_URL: this.url('feature-store'),
        MLOPS_GATEWAY_REPLICA_ID: 'platform-stack-gateway',
        MLOPS_GATEWAY_PREDICTION_SPOOL_DIR: this.spoolDir,
      };
    }
    if (service === 'trainer') return { MLOPS_TRAINER_REGISTRY_URL: this.url('registry'), MLOPS_TRAINER_FEATURE_STORE_URL: this.url('feature-store') };
    return {};
  }
}

/** Resident set size of a process in bytes (from /proc), or undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
