import { Client } from 'pg';
import type { ServiceName } from '@mlops/contracts';
import { freePort } from './free-port';
import { getJson } from './http-json';
import { ServiceProcess } from './service-process';
import { waitFor } from './wait-for';
import { localPostgresUrl } from '@mlops/config';

interface ReadyBody {
  status: string;
  checks: Record<string, { status: string; error?: string }>;
}

const POSTGRES_URL = localPostgresUrl('admin');

/**
 * The behaviour every service shares at start, checked against real Kafka, Postgres and MinIO: it refuses bad
 * config by name, applies its migrations into its own schema, serves health and metrics, and is ready only while
 * its dependencies are reachable.
 */
export function describeServiceStartup(service: ServiceName, own?: { variable: string; bad: string }): void {
  const schema = service.replace(/-/g, '_');
  const metricPrefix = `mlops_${schema}_`;

  describe(`${service} start-up`, () => {
    const running: ServiceProcess[] = [];
    afterEach(async () => {
      await Promise.all(running.splice(0).map((p) => p.stop()));
    });

    it('exits at start with a message naming an invalid variable', async () => {
      const proc = await ServiceProcess.start(service, { MLOPS_HTTP_PORT: '70000', MLOPS_KAFKA_BROKERS: 'no-port-here' });
      running.push(proc);
      expect(await proc.exited).toBe(1);
      expect(proc.logs()).toContain('MLOPS_HTTP_PORT');
      expect(proc.logs()).toContain('MLOPS_KAFKA_BROKERS');
      // A test waiting for this process gives up at once and shows why, instead of timing out on "fetch failed".
      await expect(proc.waitUntilReady()).rejects.toThrow(/exited \(1\) first[\s\S]*MLOPS_HTTP_PORT/);
      // Started on any free port, the process is waited for until it listens: its exit fails the start instead.
      await expect(ServiceProcess.start(service, { MLOPS_KAFKA_BROKERS: 'no-port-here' })).rejects.toThrow(/exited \(1\) first[\s\S]*MLOPS_KAFKA_BROKERS/);
      // Every service calls others with a key of its own, so one without it does not start at all.
      await expect(ServiceProcess.start(service, { MLOPS_SERVICE_API_KEY: '' })).rejects.toThrow(
        /exited \(1\) first[\s\S]*MLOPS_SERVICE_API_KEY: required but not set/,
      );
    });

    if (own) {
      it('names a bad variable of its own section in the same message as the platform\'s', async () => {
        const proc = await ServiceProcess.start(service, { MLOPS_HTTP_PORT: '70000', [own.variable]: own.bad });
        running.push(proc);
        expect(await proc.exited).toBe(1);
        expect(proc.logs()).toMatch(new RegExp(`mlops-${service}: invalid configuration: .*MLOPS_HTTP_PORT: .*; ${own.variable}: `));
      });
    }

    it('exits at start with a message naming a missing secret', async () => {
      // An empty variable counts as unset: a service never falls back to a default credential.
      const proc = await ServiceProcess.start(service, { MLOPS_HTTP_PORT: String(await freePort()), MLOPS_KAFKA_PASSWORD: '', MLOPS_S3_SECRET_KEY: '' });
      running.push(proc);
      expect(await proc.exited).toBe(1);
      expect(proc.logs()).toMatch(/MLOPS_KAFKA_PASSWORD: required but not set/);
      expect(proc.logs()).toMatch(/MLOPS_S3_SECRET_KEY: required but not set/);
    });

    it('migrates its own schema, serves health and metrics, and becomes ready', async () => {
      const proc = await ServiceProcess.start(service);
      running.push(proc);
      const ready = await waitFor('readiness', async () => {
        const res = await getJson<ReadyBody>(`${proc.url}/health/ready`);
        return res.status === 200 ? res.body : undefined;
      }, { timeoutMs: 90_000 });
      expect(Object.keys(ready.checks)).toEqual(expect.arrayContaining(['postgres', 's3', 'kafka', 'api-keys']));
      expect((await getJson(`${proc.url}/health/live`)).status).toBe(200);
      const metrics = await getJson<string>(`${proc.url}/metrics`);
      expect(metrics.body).toContain(`${metricPrefix}http_requests_total`);
      expect(metrics.body).toContain(`service="${service}"`);
      expect(metrics.body).toMatch(new RegExp(`${metricPrefix}dependency_up\\{dependency="kafka"[^}]*\\} 1`));
      expect((await getJson(`${proc.url}/docs-json`)).status).toBe(200);
      const pg = new Client({ connectionString: POSTGRES_URL });
      await pg.connect();
      try {
        const tables = await pg.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
        expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(['migrations', 'outbox', 'processed_events']));
      } finally {
        await pg.end();
      }
    });

    it('is not ready while Kafka is unreachable, and says so', async () => {
      const proc = await ServiceProcess.start(service, { MLOPS_KAFKA_BROKERS: '127.0.0.1:1' });
      running.push(proc);
      expect((await waitFor('liveness', async () => (await getJson(`${proc.url}/health/live`)).status === 200)) as boolean).toBe(true);
      const notReady = await waitFor('a readiness answer with all checks', async () => {
        const res = await getJson<ReadyBody>(`${proc.url}/health/ready`);
        return res.body.checks?.postgres?.status === 'up' && res.body.checks?.s3?.status === 'up' ? res : undefined;
      });
      expect(notReady.status).toBe(503);
      expect(notReady.body.checks.kafka.status).toBe('down');
      expect(notReady.body.checks.kafka.error).toBeTruthy();
    });
  });
}
