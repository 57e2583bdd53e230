import { DynamicModule, Global, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Counter, Gauge } from 'prom-client';
import {
  API_KEY_TOPIC,
  ApiKeyAuthenticator,
  ApiKeyGuard,
  KeyDirectory,
  KeyDirectoryReader,
  loadServiceAuthConfig,
  Permission,
  ServiceAuthConfig,
} from '@mlops/auth';
import type { ServiceName } from '@mlops/contracts';
import { metricName, ReadinessProbe } from '@mlops/observability';
import { configOrExit } from './config-or-exit';
import type { PlatformRuntime } from './platform-runtime';
import { retryUntil } from './retry-until';

/** The service's own API key, for the calls it makes to other services. */
export const SERVICE_API_KEY = Symbol('SERVICE_API_KEY');

/** MLOPS_SERVICE_API_KEY, read once at start: without it the service stops with a message naming the variable. */
export function loadServiceAuthOrExit(service: ServiceName): ServiceAuthConfig {
  return configOrExit(service, () => loadServiceAuthConfig());
}

/**
 * API keys for one service: the directory kept from governance's key topic, the authenticator the guard (and
 * any gRPC edge) asks, and readiness that stays down until the keys written before start are loaded.
 */
export class ServiceAuth {
  readonly directory = new KeyDirectory();
  readonly authenticator: ApiKeyAuthenticator;
  private readonly reader: KeyDirectoryReader;
  private stopping = false;

  constructor(
    private readonly runtime: PlatformRuntime,
    readonly config: ServiceAuthConfig,
    anonymous: readonly Permission[] = [],
  ) {
    const service = runtime.config.service;
    this.authenticator = new ApiKeyAuthenticator(this.directory, { anonymous });
    const rejected = new Counter({
      name: metricName(service, 'api_key_records_rejected_total'),
      help: `Records of ${API_KEY_TOPIC} refused by their contract (the key stays as it was)`,
      registers: [runtime.metrics],
    });
    const directory = this.directory;
    new Gauge({
      name: metricName(service, 'api_keys_known'),
      help: 'API keys (active, expired or revoked) the service holds in memory from governance',
      registers: [runtime.metrics],
      collect() {
        this.set(directory.size);
      },
    });
    this.reader = new KeyDirectoryReader(runtime.kafka, this.directory, {
      groupPrefix: `mlops-${service}-api-keys`,
      logger: runtime.logger.child('KeyDirectoryReader'),
      onRejected: () => rejected.inc(),
    });
  }

  readonly probe: ReadinessProbe = {
    name: 'api-keys',
    check: async () => {
      if (!this.directory.isLoaded()) throw new Error(`still reading ${API_KEY_TOPIC}`);
    },
  };

  /**
   * Keeps trying while Kafka is away, like the rest of start-up. The key topic is the platform's to provision (infra,
   * init jobs) and governance's to write; a service only reads it, and may not create it.
   */
  async start(): Promise<void> {
    const log = this.runtime.logger.child('ServiceAuth');
    const retry = { initialDelayMs: 500, maxDelayMs: 5000, isCancelled: () => this.stopping };
    await retryUntil('kafka (API keys)', () => this.reader.start(), log, retry);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.reader.stop();
  }
}

@Injectable()
class ServiceAuthLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly auth: ServiceAuth) {}

  onApplicationBootstrap(): void {
    // Rejects only when the service stops before the keys could be read.
    void this.auth.start().catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.auth.stop();
  }
}

/** Installs the API key guard on every route of the service and offers its key to its clients. */
@Global()
@Module({})
export class ServiceAuthModule {
  static forRoot(auth: ServiceAuth): DynamicModule {
    const providers = [
      { provide: ServiceAuth, useValue: auth },
      { provide: ApiKeyAuthenticator, useValue: auth.authenticator },
      { provide: SERVICE_API_KEY, useValue: auth.config.serviceApiKey },
    ];
    return {
      module: ServiceAuthModule,
      providers: [...providers, ServiceAuthLifecycle, { provide: APP_GUARD, useClass: ApiKeyGuard }],
      exports: providers.map((p) => p.provide),
    };
  }
}
