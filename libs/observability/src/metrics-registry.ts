import { ServiceName } from '@mlops/contracts';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per service instead of prom-client's global one, so tests and several apps in one process never
 * collide; the service label lets one Prometheus job scrape every service and still tell them apart.
 */
export function createMetricsRegistry(service: ServiceName): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
