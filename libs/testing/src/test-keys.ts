import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { API_KEY_TOPIC, apiKeyOf, bearer, hashSecret, Role, ROLES } from '@mlops/auth';
import { localKafkaConnection } from '@mlops/config';
import { createEvent, EventInput, SERVICE_NAMES, ServiceName } from '@mlops/contracts';
import { createKafka, EventPublisher, TopicProvisioner } from '@mlops/messaging';

/**
 * API keys for tests, one per role and one per service, derived from a secret this machine keeps in
 * ~/.cache/mlops (mode 0600): every checkout on the machine derives the same keys, so test runs sharing the broker
 * agree, and nobody else can derive them. They reach services the way governance's keys do, as records of the
 * compacted key topic; the same records each time, so compaction keeps the topic small.
 */
const SEED_FILE = join(homedir(), '.cache', 'mlops', 'test-api-key-seed');
// Test keys need no brute-force resistance, and a cheap hash keeps each spec's start quick.
const TEST_HASH_COST = { N: 1024, r: 8, p: 1 };
const PUBLISHED_AT = new Date('2026-01-01T00:00:00Z');

let seed: Buffer | undefined;
let published: Promise<void> | undefined;

function machineSeed(): Buffer {
  if (seed) return seed;
  mkdirSync(join(homedir(), '.cache', 'mlops'), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(SEED_FILE, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  seed = Buffer.from(readFileSync(SEED_FILE, 'utf8').trim(), 'hex');
  return seed;
}

function derived(label: string, bytes: number): Buffer {
  return createHmac('sha256', machineSeed()).update(label).digest().subarray(0, bytes);
}

function testKeyOf(label: string) {
  return apiKeyOf({ keyId: derived(`${label}:id`, 8).toString('hex'), secret: derived(`${label}:secret`, 32).toString('base64url') });
}

/** The test key of a role, e.g. testApiKey('auditor'). */
export function testApiKey(role: Role): string {
  return testKeyOf(`role:${role}`).apiKey;
}

/** The `authorization` header of a role's test key, to spread into fetch headers. */
export function testAuth(role: Role = 'admin'): { authorization: string } {
  return bearer(testApiKey(role));
}

/** The key a service started by ServiceProcess gets as MLOPS_SERVICE_API_KEY. */
export function serviceTestKey(service: ServiceName): string {
  return testKeyOf(`service:${service}`).apiKey;
}

function uuidOf(label: string): string {
  const hex = derived(`${label}:principal`, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

async function keyRecord(label: string, name: string, kind: 'person' | 'service', role: Role): Promise<EventInput<typeof API_KEY_TOPIC>> {
  const key = testKeyOf(label);
  return {
    keyId: key.keyId,
    principal: { id: uuidOf(label), name, kind, roles: [role] },
    secretHash: await hashSecret(key.secret, TEST_HASH_COST, derived(`${label}:salt`, 16)),
    createdAt: PUBLISHED_AT.toISOString(),
    expiresAt: null,
    revokedAt: null,
    changedBy: 'libs/testing',
  };
}

async function publish(): Promise<void> {
  const records = await Promise.all([
    ...ROLES.map((role) => keyRecord(`role:${role}`, `test-${role}`, role === 'service' ? 'service' : 'person', role)),
    ...SERVICE_NAMES.map((service) => keyRecord(`service:${service}`, `test-service-${service}`, 'service', 'service')),
  ]);
  // As governance, the only principal that may write the key topic.
  const kafka = createKafka(localKafkaConnection('governance', 'mlops-test-keys'));
  await new TopicProvisioner(kafka).ensureTopics([API_KEY_TOPIC], ['governance']);
  const publisher = new EventPublisher(kafka);
  try {
    for (const data of records) {
      const id = derived(`${data.keyId}:event`, 16).toString('hex');
      await publisher.publish(API_KEY_TOPIC, createEvent(API_KEY_TOPIC, data, { source: 'governance', id, time: PUBLISHED_AT }));
    }
  } finally {
    await publisher.disconnect();
  }
}

/** Makes every test key known to services on the shared broker; once per test file, however often it is called. */
export function publishTestKeys(): Promise<void> {
  published ??= publish().catch((err: unknown) => {
    published = undefined;
    throw err;
  });
  return published;
}
