import type { ServiceName } from '../services';
import { featureStoreApi } from './feature-store';
import { inferenceGatewayApi } from './inference-gateway';
import { monitorApi } from './monitor';
import { registryApi } from './registry';
import type { HttpApi } from './route';
import { trainerApi } from './trainer';

/** The HTTP contract of each service whose routes are all in libs/contracts; the rest join as they move here. */
export const HTTP_APIS: Partial<Record<ServiceName, HttpApi>> = {
  registry: registryApi,
  'feature-store': featureStoreApi,
  monitor: monitorApi,
  trainer: trainerApi,
  'inference-gateway': inferenceGatewayApi,
};
