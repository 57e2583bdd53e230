import { Module } from '@nestjs/common';
import { inferenceGatewayApi } from '@mlops/contracts';
import type { ServiceDefinition } from '@mlops/service-kit';
import { InferenceGatewayModule } from './app.module';
import type { GatewayConfig } from './config/gateway-config';
import { inferenceGatewayMigrations } from './migrations';
import { OipGrpcServer } from './oip-grpc/oip-grpc-server';
import { configureOipFastify } from './oip-http/oip-fastify';

export function inferenceGatewayService(config: GatewayConfig): ServiceDefinition {
  @Module({ imports: [InferenceGatewayModule.forRoot(config)] })
  class ConfiguredGatewayModule {}

  return {
    service: 'inference-gateway',
    api: inferenceGatewayApi,
    appModule: ConfiguredGatewayModule,
    migrations: inferenceGatewayMigrations,
    anonymousPermissions: config.requireKey ? [] : ['inference:call'],
    http: { adapter: 'fastify', bodyLimitBytes: config.maxRequestBytes, configure: (app) => configureOipFastify(app, config) },
    microservices: [{ strategy: new OipGrpcServer(config) }],
  };
}
