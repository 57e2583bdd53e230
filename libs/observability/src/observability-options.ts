import { ServiceName } from '@mlops/contracts';
import { Registry } from 'prom-client';
import { JsonLogger } from './json-logger';
import { ReadinessProbe } from './readiness';

export interface ObservabilityOptions {
  service: ServiceName;
  registry: Registry;
  probes: ReadinessProbe[];
  /** Readiness stays down until this returns true; absent means the service is ready as soon as its probes are. */
  isStarted?: () => boolean;
  logger: JsonLogger;
}

export const OBSERVABILITY_OPTIONS = Symbol('ObservabilityOptions');
