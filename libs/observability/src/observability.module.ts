import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { instrumentFastify } from './fastify-http-hooks';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { JsonLogger } from './json-logger';
import { MetricsController } from './metrics.controller';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';
import { RequestContextMiddleware } from './request-context.middleware';

/**
 * Health, readiness and metrics endpoints, request ids and HTTP metrics for a service's app, on Express or Fastify.
 * Global, so any module can inject the service's JsonLogger and prom-client Registry without importing this one.
 */
@Module({})
export class ObservabilityModule implements NestModule {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly httpMetrics: HttpMetrics,
  ) {}

  static forRoot(options: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        { provide: JsonLogger, useValue: options.logger },
        { provide: Registry, useValue: options.registry },
        { provide: HttpMetrics, useValue: new HttpMetrics(options.service, options.registry) },
        HttpMetricsMiddleware,
      ],
      exports: [JsonLogger, Registry],
    };
  }

  /** Runs before the routes are registered, so Fastify's hooks apply to every route. */
  configure(consumer: MiddlewareConsumer): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.getType() === 'fastify') instrumentFastify(adapter.getInstance<FastifyInstance>(), this.httpMetrics);
    else consumer.apply(RequestContextMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
