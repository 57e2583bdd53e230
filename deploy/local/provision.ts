// What deploy/local/infra asks of the running infrastructure, as the admin principal (its environment comes from
// .data/secrets/admin.env): readiness probes that make a real request, and provisioning derived from our own code
// (the contracts catalog for Kafka topics and ACLs, libs/storage's grants for MinIO policies).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AclOperationTypes, AclPermissionTypes, AclResourceTypes, Kafka, ResourcePatternTypes } from 'kafkajs';
import { Client } from 'minio';
import { loadPlatformConfig } from '@mlops/config';
import { SERVICE_NAMES } from '@mlops/contracts';
import { AclBinding, createKafka, platformAccess, producerAccess, TopicProvisioner } from '@mlops/messaging';
import { STORAGE_GRANTS, storagePolicy, UPLOADER_GRANTS } from '@mlops/storage';

// The admin's own credentials; the service name only picks defaults (endpoints) every service shares.
const config = loadPlatformConfig('registry');

function adminKafka(): Kafka {
  return createKafka({ ...config.kafka, clientId: 'mlops-infra' });
}

async function withAdmin<T>(use: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = adminKafka().admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

async function probeKafka(): Promise<void> {
  await withAdmin(async (admin) => {
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('no brokers in metadata');
  });
}

async function probeS3(): Promise<void> {
  await new Client(config.s3).listBuckets();
}

const RESOURCE = { TOPIC: AclResourceTypes.TOPIC, GROUP: AclResourceTypes.GROUP } as const;
const PATTERN = { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED } as const;
const OPERATION = {
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  DELETE: AclOperationTypes.DELETE,
} as const;
const PERMISSION = { ALLOW: AclPermissionTypes.ALLOW, DENY: AclPermissionTypes.DENY } as const;

// Creating an ACL that exists is a no-op for the broker, so applying the whole plan again is safe.
async function applyAcls(bindings: AclBinding[]): Promise<void> {
  await withAdmin((admin) =>
    admin.createAcls({
      acl: bindings.map((b) => ({
        principal: b.principal,
        host: '*',
        resourceType: RESOURCE[b.resource],
        resourcePatternType: PATTERN[b.pattern],
        resourceName: b.name,
        operation: OPERATION[b.operation],
        permissionType: PERMISSION[b.permission],
      })),
    }),
  );
}

async function provisionKafka(): Promise<void> {
  await new TopicProvisioner(adminKafka()).ensureTopics();
  const bindings = platformAccess();
  await applyAcls(bindings);
  console.error(`[infra] kafka: platform topics present, ${bindings.length} ACL entries applied`);
}

async function grantProducer(name: string, topics: string[]): Promise<void> {
  await applyAcls(producerAccess(name, topics));
}

function writeStoragePolicies(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const grants: Record<string, readonly (typeof UPLOADER_GRANTS)[number][]> = { ...STORAGE_GRANTS, uploader: UPLOADER_GRANTS };
  for (const who of [...SERVICE_NAMES, 'uploader']) {
    writeFileSync(join(dir, `${who}.json`), `${JSON.stringify(storagePolicy(grants[who]), null, 2)}\n`, { mode: 0o600 });
  }
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = {
  kafka: probeKafka,
  s3: probeS3,
  'kafka-access': provisionKafka,
  'kafka-producer': () => grantProducer(args[0], args.slice(1)),
  'storage-policies': async () => writeStoragePolicies(args[0]),
};
const run = commands[command ?? ''];
if (!run) {
  console.error(`usage: provision.ts ${Object.keys(commands).join('|')} [args]`);
  process.exit(2);
}
run().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
