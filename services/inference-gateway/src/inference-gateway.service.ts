import { Module } from '@nestjs/common';
import type { ServiceDefinition } from '@mlops/service-kit';
import { InferenceGatewayModule } from './app.module';
import type { GatewayConfig } from './config/gateway-config';
import { inferenceGatewayMigrations } from './migrations';

export function inferenceGatewayService(config: GatewayConfig): ServiceDefinition {
  @Module({ imports: [InferenceGatewayModule.forRoot(config)] })
  class ConfiguredGatewayModule {}

  return {
    service: 'inference-gateway',
    description: 'Online inference over the Open Inference Protocol v2 (HTTP and gRPC), traffic splitting and prediction logs.',
    appModule: ConfiguredGatewayModule,
    migrations: inferenceGatewayMigrations,
    anonymousPermissions: config.requireKey ? [] : ['inference:call'],
  };
}
