// Each principal only where it belongs, checked against the running, secured infrastructure: Kafka's ACLs derived
// from the contracts catalog, a Postgres role per schema, a MinIO user per prefix.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Client as Minio } from 'minio';
import { Client as Pg } from 'pg';
import { localCredentials, localKafkaConnection, localPostgresUrl, localS3 } from '@mlops/config';
import { dlqTopic } from '@mlops/contracts';
import { createKafka } from '@mlops/messaging';
import { BUCKETS } from '@mlops/storage';
import { REPO_ROOT } from '@mlops/testing';

const run = promisify(execFile);
const KCAT = join(REPO_ROOT, 'deploy/local/kcat');

async function sendAs(principal: string, topic: string, value: Buffer | string = 'a record no consumer applies'): Promise<void> {
  const producer = createKafka({ ...localKafkaConnection(principal, `security-e2e-${principal}`) }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'security-e2e', value }] });
  } finally {
    await producer.disconnect();
  }
}

/** The broker's error code, wherever kafkajs put it (a retried send wraps the broker's error in its own). */
function errorType(err: unknown): string {
  for (let e = err as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; e = (e.cause ?? e.originalError) as typeof e) {
    if (e.type) return e.type;
  }
  return (err as Error).name;
}

describe('Kafka: SASL/SCRAM and ACLs from the contracts catalog', () => {
  it('refuses a service writing a topic it does not produce', async () => {
    const refused = await sendAs('registry', 'mlops.governance.approval-decided').then(() => null, errorType);
    expect(refused).toBe('TOPIC_AUTHORIZATION_FAILED');
    // A product app may report labels, and nothing else.
    // Written as any app would, without our library: a CloudEvent by hand.
    const at = new Date().toISOString();
    const label = { specversion: '1.0', id: randomUUID(), source: '/apps/security-e2e', type: 'mlops.labels.observed.v1', time: at, subject: 'security-e2e',
      datacontenttype: 'application/json', data: { requestId: randomUUID(), modelName: 'security-e2e', label: 1, observedAt: at } };
    await expect(sendAs('app', 'mlops.labels.observed', JSON.stringify(label))).resolves.toBeUndefined();
    expect(await sendAs('app', 'mlops.registry.deployment-changed').then(() => null, errorType)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('lets a service write its own dead-letter topic', async () => {
    await expect(sendAs('registry', dlqTopic('registry'))).resolves.toBeUndefined();
    expect(await sendAs('registry', dlqTopic('trainer')).then(() => null, errorType)).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it('refuses a client that does not authenticate, and one with a wrong password', async () => {
    const anonymous = new Kafka({ clientId: 'security-e2e-anonymous', brokers: ['127.0.0.1:9092'], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 3000 });
    const admin = anonymous.admin();
    await expect(admin.connect().then(() => admin.listTopics())).rejects.toThrow();
    await admin.disconnect();
    const wrong = localKafkaConnection('registry', 'security-e2e-wrong-password');
    const impostor = createKafka({ ...wrong, sasl: { ...wrong.sasl, password: 'not-the-password' } }).producer();
    await expect(impostor.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed|Authentication failed/i);
    await impostor.disconnect();
  });

  it('lets kcat in with the principal credentials and keeps it out without them', async () => {
    const env = localCredentials('app');
    const flags = ['-b', '127.0.0.1:9092', '-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-512',
      '-X', `sasl.username=${env.MLOPS_KAFKA_USERNAME}`, '-X', `sasl.password=${env.MLOPS_KAFKA_PASSWORD}`];
    const listed = await run(KCAT, [...flags, '-L', '-t', 'mlops.labels.observed', '-m', '5']);
    expect(listed.stdout).toContain('topic "mlops.labels.observed"');
    await expect(run(KCAT, ['-b', '127.0.0.1:9092', '-L', '-m', '3'], { timeout: 10_000 })).rejects.toThrow();
  });
});

describe('Postgres: one role per service schema', () => {
  it("keeps the trainer's role out of the registry's tables, and in its own", async () => {
    const trainer = new Pg({ connectionString: localPostgresUrl('trainer') });
    await trainer.connect();
    try {
      await expect(trainer.query('SELECT count(*) FROM registry.migrations')).rejects.toThrow(/permission denied for schema registry/);
      await expect(trainer.query('CREATE SCHEMA security_e2e_intruder')).rejects.toThrow(/permission denied/);
      const own = await trainer.query('SELECT count(*)::int AS n FROM trainer.migrations');
      expect(own.rows[0].n).toBeGreaterThan(0);
    } finally {
      await trainer.end();
    }
  });
});

describe('MinIO: one user per service, limited to its prefixes', () => {
  const key = `models/security-e2e-${randomUUID().slice(0, 8)}/1/model.onnx`;
  const root = new Minio(localS3('admin'));
  const gateway = new Minio(localS3('inference-gateway'));

  beforeAll(async () => {
    await root.putObject(BUCKETS.artifacts, key, Buffer.from('a model the gateway serves'));
  });
  afterAll(async () => {
    await root.removeObject(BUCKETS.artifacts, key);
  });

  it('lets the gateway read a model artifact but neither write nor delete one', async () => {
    const read: Buffer[] = [];
    for await (const chunk of await gateway.getObject(BUCKETS.artifacts, key)) read.push(chunk as Buffer);
    expect(Buffer.concat(read).toString()).toBe('a model the gateway serves');
    await expect(gateway.putObject(BUCKETS.artifacts, key, Buffer.from('tampered'))).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(gateway.removeObject(BUCKETS.artifacts, key)).rejects.toMatchObject({ code: 'AccessDenied' });
    const stat = await root.statObject(BUCKETS.artifacts, key);
    expect(stat.size).toBe('a model the gateway serves'.length);
  });

  it("keeps the trainer out of the registry's models and in its own runs", async () => {
    const trainer = new Minio(localS3('trainer'));
    await expect(trainer.putObject(BUCKETS.artifacts, key, Buffer.from('tampered'))).rejects.toMatchObject({ code: 'AccessDenied' });
    const own = `runs/security-e2e/${randomUUID()}/log.txt`;
    await trainer.putObject(BUCKETS.artifacts, own, Buffer.from('ok'));
    await root.removeObject(BUCKETS.artifacts, own);
  });
});
