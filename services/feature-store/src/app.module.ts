import { Module, Type } from '@nestjs/common';
import { BackfillController } from './backfill/backfill.controller';
import { BackfillView } from './backfill/backfill-view.use-case';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from './config/feature-store.config';
import { ApplyDefinitions } from './definitions/apply-definitions.use-case';
import { DefinitionRepository } from './definitions/definition.repository';
import { DefinitionsController } from './definitions/definitions.controller';
import { FeatureCatalog } from './definitions/feature-catalog';
import { SourceTopics } from './definitions/source-topics';
import { BuildDataset } from './historical/build-dataset.use-case';
import { LabelHistoryReader } from './historical/label-history';
import { DatasetsController } from './historical/datasets.controller';
import { IngestionMetrics } from './ingestion/ingestion-metrics';
import { DeadLetterOutbox } from './ingestion/dead-letter-outbox';
import { IngestBatch } from './ingestion/ingest-batch.use-case';
import { SourceConsumer } from './ingestion/source-consumer';
import { OnlineFeatures } from './online/online-features';
import { OnlineChangeListener } from './online/online-change.listener';
import { OnlineValueCache } from './online/online-value.cache';
import { OnlineValueStore } from './online/online-value.store';
import { OnlineFeaturesGrpcController } from './online/online-features.grpc-controller';
import { OnlineFeaturesController } from './online/online-features.controller';
import { FeatureWriter } from './storage/feature-writer';
import { HistoryPartitions } from './storage/history-partitions';
import { PointInTimeLookup } from './storage/point-in-time-lookup';

/** The service's module, given its own settings, which main read once at start. */
export function createFeatureStoreModule(config: FeatureStoreConfig): Type<unknown> {
  @Module({
    controllers: [DefinitionsController, OnlineFeaturesController, OnlineFeaturesGrpcController, DatasetsController, BackfillController],
    providers: [
      { provide: FEATURE_STORE_CONFIG, useValue: config },
      DefinitionRepository,
      FeatureCatalog,
      SourceTopics,
      ApplyDefinitions,
      HistoryPartitions,
      FeatureWriter,
      IngestionMetrics,
      DeadLetterOutbox,
      IngestBatch,
      SourceConsumer,
      { provide: OnlineValueCache, useValue: new OnlineValueCache(config.onlineCacheEntries) },
      OnlineChangeListener,
      OnlineValueStore,
      OnlineFeatures,
      PointInTimeLookup,
      LabelHistoryReader,
      BuildDataset,
      BackfillView,
    ],
  })
  class FeatureStoreModule {}
  return FeatureStoreModule;
}
