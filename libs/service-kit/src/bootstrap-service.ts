import 'reflect-metadata';
import { DynamicModule, INestApplication, Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { MicroserviceOptions } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { SwaggerModule } from '@nestjs/swagger';
import type { Permission } from '@mlops/auth';
import type { PlatformConfig } from '@mlops/config';
import type { HttpApi, ServiceName } from '@mlops/contracts';
import { createMetricsRegistry, JsonLogger, ObservabilityModule } from '@mlops/observability';
import type { EventSubscriber } from './event-subscriber';
import { PlatformModule } from './platform.module';
import { PlatformRuntime } from './platform-runtime';
import type { MigrationClass } from './service-database';
import { servedOpenApi } from './served-openapi';
import { loadServiceAuthOrExit, ServiceAuth, ServiceAuthModule } from './service-auth';

export interface ServiceDefinition {
  service: ServiceName;
  /** The service's HTTP contract: its OpenAPI document is derived from it. */
  api: HttpApi;
  /** The service's module; a dynamic one carries the service's own config section, read once in main. */
  appModule: Type<unknown> | DynamicModule;
  migrations: MigrationClass[];
  subscribers?: Type<EventSubscriber>[];
  /** Permissions this deployment grants without a key (the gateway's inference while MLOPS_GATEWAY_REQUIRE_KEY is off). */
  anonymousPermissions?: Permission[];
  /** Express unless the service asks for Fastify. */
  http?: HttpAdapterChoice;
  /** Transports the service's controllers also serve (gRPC), started once HTTP listens. */
  microservices?: MicroserviceOptions[];
}

export type HttpAdapterChoice =
  | { adapter: 'express' }
  | {
      adapter: 'fastify';
      /** Larger request bodies are answered 413, before they are read when they declare their length. */
      bodyLimitBytes: number;
      /** Plugins, content-type parsers and filters of the service, set up before its routes are registered. */
      configure?: (app: NestFastifyApplication) => void | Promise<void>;
    };

export interface RunningService {
  app: INestApplication;
  runtime: PlatformRuntime;
  /** Resolves when every dependency is connected and consumption has begun. */
  ready: Promise<void>;
}

/**
 * HTTP comes up first so liveness and readiness can be asked at once; dependencies are then connected in the
 * background and readiness turns green only when all of them are.
 */
export async function bootstrapService(definition: ServiceDefinition, config: PlatformConfig): Promise<RunningService> {
  const logger = new JsonLogger({ service: definition.service, level: config.log.level });
  const runtime = new PlatformRuntime(config, logger, createMetricsRegistry(definition.service), definition.migrations);
  const auth = new ServiceAuth(runtime, loadServiceAuthOrExit(definition.service), definition.anonymousPermissions);

  @Module({
    imports: [
      PlatformModule.forRoot(runtime),
      ServiceAuthModule.forRoot(auth),
      ObservabilityModule.forRoot({
        service: definition.service,
        registry: runtime.metrics,
        probes: [...runtime.probes(), auth.probe],
        isStarted: () => runtime.isStarted(),
        logger,
      }),
      definition.appModule,
    ],
  })
  class ServiceRootModule {}

  const app = await createApp(ServiceRootModule, definition, logger);
  app.enableShutdownHooks();
  serveOpenApi(app, definition);
  await app.listen(config.http.port, config.http.host);
  logger.log(`listening on http://${config.http.host}:${boundPort(app, config.http.port)}`, 'Bootstrap');
  // inheritAppConfig: the API key guard, filters and pipes of the HTTP app apply to the other transports too.
  for (const microservice of definition.microservices ?? []) app.connectMicroservice(microservice, { inheritAppConfig: true });
  await app.startAllMicroservices();

  const subscribers = definition.subscribers ?? [];
  for (const subscriber of subscribers) app.get(subscriber).subscribe(runtime.consumer);
  const ready = runtime.start({ consume: subscribers.length > 0 });
  ready.catch((err: Error) => logger.error(`startup failed: ${err.message}`, err.stack, 'Bootstrap'));
  return { app, runtime, ready };
}

async function createApp(root: Type<unknown>, definition: ServiceDefinition, logger: JsonLogger): Promise<INestApplication> {
  const options = { logger, abortOnError: false };
  const http = definition.http ?? { adapter: 'express' };
  if (http.adapter === 'express') return NestFactory.create(root, options);
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter({ bodyLimit: http.bodyLimitBytes }), options);
  await http.configure?.(app);
  return app;
}

/** The port actually bound, which differs from the configured one when that is 0 (any free port). */
function boundPort(app: INestApplication, configured: number): number {
  const address = (app.getHttpServer() as Server).address();
  return typeof address === 'object' && address ? address.port : configured;
}

function serveOpenApi(app: INestApplication, definition: ServiceDefinition): void {
  // Swagger UI and its JSON take any document; ours is OpenAPI 3.1, which @nestjs/swagger's type predates.
  SwaggerModule.setup('docs', app, servedOpenApi(app, definition.api) as unknown as Parameters<typeof SwaggerModule.setup>[2], {
    jsonDocumentUrl: 'docs-json',
  });
}
