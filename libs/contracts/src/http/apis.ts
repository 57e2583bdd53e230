import type { ServiceName } from '../services';
import { featureStoreApi } from './feature-store';
import { governanceApi } from './governance';
import { inferenceGatewayApi } from './inference-gateway';
import { monitorApi } from './monitor';
import { registryApi } from './registry';
import type { HttpApi } from './route';
import { trainerApi } from './trainer';

/** The HTTP contract of every service: each serves exactly the routes its contract holds. */
export const HTTP_APIS: Record<ServiceName, HttpApi> = {
  registry: registryApi,
  'feature-store': featureStoreApi,
  monitor: monitorApi,
  trainer: trainerApi,
  'inference-gateway': inferenceGatewayApi,
  governance: governanceApi,
};
