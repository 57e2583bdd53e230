import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { Registry } from 'prom-client';
import { HealthController } from './health.controller';
import { HttpMetrics } from './http-metrics';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { JsonLogger } from './json-logger';
import { MetricsController } from './metrics.controller';
import { OBSERVABILITY_OPTIONS, ObservabilityOptions } from './observability-options';
import { RequestContextMiddleware } from './request-context.middleware';

/**
 * Health, readiness and metrics endpoints, request ids and HTTP metrics for a service's app. Global, so any module
 * can inject the service's JsonLogger and prom-client Registry without importing this one.
 */
@Module({})
export class ObservabilityModule implements NestModule {
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

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware, HttpMetricsMiddleware).forRoutes('*');
  }
}
