// Readiness probes used by deploy/local/infra: exits 0 when the component answers a real request.
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'minio';
import { loadPlatformConfig } from '@mlops/config';

// Endpoints are the platform's own (every service sees the same infrastructure).
const config = loadPlatformConfig('registry');

async function probeKafka(): Promise<void> {
  const kafka = new Kafka({ clientId: 'infra-probe', brokers: config.kafka.brokers, logLevel: logLevel.NOTHING,
    retry: { retries: 0 }, connectionTimeout: 2000 });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
  } finally {
    await admin.disconnect();
  }
}

async function probeS3(): Promise<void> {
  await new Client(config.s3).listBuckets();
}

const probes: Record<string, () => Promise<void>> = { kafka: probeKafka, s3: probeS3 };
const probe = probes[process.argv[2] ?? ''];
if (!probe) {
  console.error(`usage: probe.ts ${Object.keys(probes).join('|')}`);
  process.exit(2);
}
probe().then(() => process.exit(0), (err: Error) => { console.error(err.message); process.exit(1); });
