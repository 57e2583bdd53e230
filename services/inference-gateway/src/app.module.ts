import { DynamicModule, Module } from '@nestjs/common';
import type { PlatformConfig } from '@mlops/config';
import { JsonLogger, SERVING_CAPACITY } from '@mlops/observability';
import { PLATFORM_CONFIG } from '@mlops/service-kit';
import { SessionRunner } from './batching/session-runner';
import { GATEWAY_CONFIG, GatewayConfig } from './config/gateway-config';
import { DeploymentFollower } from './deployments/deployment-follower';
import { RegistryClient } from './deployments/registry-client';
import { EntityFeatureInput } from './features/entity-feature-input';
import { FEATURE_LOOKUP } from './features/feature-lookup';
import { FeatureStoreOnlineClient } from './features/feature-store-online-client';
import { InferenceDataPlane } from './inference/inference-data-plane';
import { GatewayMetrics } from './metrics/gateway-metrics';
import { ModelLoader } from './models/model-loader';
import { ModelRepository } from './models/model-repository';
import { OipGrpcController } from './oip-grpc/oip-grpc.controller';
import { OipModelsController } from './oip-http/oip-models.controller';
import { OipServerController } from './oip-http/oip-server.controller';
import { PREDICTION_LOG_SINK, WorkerPredictionSink } from './prediction-log/prediction-log-sink';
import { PredictionLogger } from './prediction-log/prediction-logger';

@Module({})
export class InferenceGatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: InferenceGatewayModule,
      controllers: [OipServerController, OipModelsController, OipGrpcController],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        GatewayMetrics,
        ModelLoader,
        ModelRepository,
        SessionRunner,
        {
          provide: PREDICTION_LOG_SINK,
          useFactory: (platform: PlatformConfig, logger: JsonLogger) =>
            new WorkerPredictionSink({ kafka: platform.kafka, spool: config.predictionLog.spool }, logger.child('PredictionLogWorker')),
          inject: [PLATFORM_CONFIG, JsonLogger],
        },
        PredictionLogger,
        { provide: FEATURE_LOOKUP, useClass: FeatureStoreOnlineClient },
        EntityFeatureInput,
        InferenceDataPlane,
        { provide: SERVING_CAPACITY, useExisting: InferenceDataPlane },
        RegistryClient,
        DeploymentFollower,
      ],
    };
  }
}
