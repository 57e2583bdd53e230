import { z } from 'zod';
import { defineRoutes, text } from './route';

const CheckResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('up') }),
  z.object({ status: z.literal('down'), error: z.string() }),
]);

export const ReadinessReport = z.object({ status: z.enum(['ready', 'not_ready']), checks: z.record(z.string(), CheckResult) });

/** Routes every service serves (libs/observability): open to anyone, for probes and scrapers. */
export const platformRoutes = defineRoutes({
  live: {
    method: 'get',
    path: '/health/live',
    summary: 'The process is up and serving HTTP',
    tag: 'health',
    access: { public: true },
    status: 200,
    response: z.object({ status: z.literal('ok') }),
  },
  ready: {
    method: 'get',
    path: '/health/ready',
    summary: 'Started, and every dependency answered; 503 with the same report while starting or when a dependency is down',
    tag: 'health',
    access: { public: true },
    status: 200,
    response: ReadinessReport,
  },
  metrics: {
    method: 'get',
    path: '/metrics',
    summary: 'Every metric of the service in the Prometheus text format',
    tag: 'health',
    access: { public: true },
    status: 200,
    response: text('text/plain'),
  },
});
