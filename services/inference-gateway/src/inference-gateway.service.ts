import type { ServiceDefinition } from '@mlops/service-kit';
import { InferenceGatewayModule } from './app.module';
import { inferenceGatewayMigrations } from './migrations';

export const inferenceGatewayService: ServiceDefinition = {
  service: 'inference-gateway',
  description: 'Online inference over the Open Inference Protocol v2 (HTTP and gRPC), traffic splitting and prediction logs.',
  appModule: InferenceGatewayModule,
  migrations: inferenceGatewayMigrations,
};
