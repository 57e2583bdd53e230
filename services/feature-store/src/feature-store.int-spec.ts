import { describeServiceStartup } from '@mlops/testing';

describeServiceStartup('feature-store', { variable: 'MLOPS_FEATURE_STORE_DATASET_CHUNK_ROWS', bad: 'many' });
