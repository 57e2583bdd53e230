import { Counter } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';

describe('createMetricsRegistry', () => {
  it('labels every metric with the service and collects the standard process metrics', async () => {
    const registry = createMetricsRegistry('feature-store');
    new Counter({ name: 'things_total', help: 'things', registers: [registry] }).inc();
    const text = await registry.metrics();
    expect(text).toContain('things_total{service="feature-store"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="feature-store"\} /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes\{service="feature-store"\} /m);
  });

  it('gives each service a registry of its own', async () => {
    const a = createMetricsRegistry('trainer');
    const b = createMetricsRegistry('monitor');
    new Counter({ name: 'only_in_a_total', help: 'a', registers: [a] });
    expect(await b.metrics()).not.toContain('only_in_a_total');
  });
});
