// The monitor as operators run it (its own process, see ServiceProcess) for integration specs, with a publisher for
// what other services would send and a tap on what the monitor produces. Broker and object store come from the
// local credentials: the admin plays the other services and puts what they would have stored.
import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders } from 'kafkajs';
import { localKafkaConnection, localS3 } from '@mlops/config';
import { createEvent, decodeEvent, dlqTopic, encodeEvent, EventInput, PlatformEvent, ServiceName, TopicName } from '@mlops/contracts';
import { createKafka, EventPublisher } from '@mlops/messaging';
import type { ReferenceProfile } from '@mlops/ml';
import { BUCKETS, ObjectStore } from '@mlops/storage';
import { sendJson, ServiceProcess, waitFor } from '@mlops/testing';

const TAPPED = ['mlops.monitor.drift-detected', 'mlops.monitor.performance-degraded', 'mlops.monitor.rollout-verdict', 'mlops.training.requested'] as const;
type Tapped = (typeof TAPPED)[number];
const MONITOR_DLQ = dlqTopic('monitor');

export interface DeadLetter {
  value: string;
  headers: Record<string, string>;
}

export class MonitorHarness {
  private readonly kafka = createKafka(localKafkaConnection('admin', `monitor-int-${randomUUID().slice(0, 8)}`));
  readonly publisher = new EventPublisher(this.kafka);
  readonly store = new ObjectStore(localS3('admin'));
  private readonly events: PlatformEvent<Tapped>[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private tap: Consumer | null = null;
  private process: ServiceProcess | null = null;

  constructor(private readonly env: Record<string, string> = {}) {}

  /** Taps the topics from their current end (returning once it has its partitions), then starts the monitor. */
  async start(): Promise<this> {
    await this.publisher.connect();
    const tap = this.kafka.consumer({ groupId: `monitor-int-tap-${randomUUID()}` });
    this.tap = tap;
    const joined = new Promise<void>((resolve) => tap.on(tap.events.GROUP_JOIN, () => resolve()));
    await tap.connect();
    await tap.subscribe({ topics: [...TAPPED, MONITOR_DLQ], fromBeginning: false });
    await tap.run({
      eachMessage: async ({ topic, message }) => {
        if (topic === MONITOR_DLQ) {
          this.deadLetters.push({ value: message.value?.toString() ?? '', headers: headerText(message.headers) });
          return;
        }
        const decoded = decodeEvent(topic as Tapped, message.value);
        if (decoded.ok) this.events.push(decoded.event);
      },
    });
    await joined;
    await this.startMonitor();
    return this;
  }

  get monitor(): ServiceProcess {
    if (!this.process) throw new Error('the monitor is not running');
    return this.process;
  }

  /** kill -9, then a fresh process on the same state. */
  async crashAndRestart(): Promise<void> {
    await this.monitor.crash();
    await this.restart();
  }

  /** A fresh process on the state the last one left (after `monitor.crash()` or `monitor.stop()`). */
  async restart(): Promise<void> {
    await this.startMonitor();
  }

  async stop(): Promise<void> {
    await this.process?.stop();
    await this.tap?.disconnect();
    await this.publisher.disconnect();
  }

  /** As the test admin, through the monitor's API key guard. */
  call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return sendJson<T>(method, `${this.monitor.url}${path}`, body);
  }

  /** PUT a policy, failing the spec if the monitor refuses it. */
  async putPolicy(modelName: string, policy: unknown): Promise<void> {
    const response = await this.call<unknown>('PUT', `/models/${modelName}/policy`, policy);
    if (response.status !== 200) throw new Error(`policy refused: ${response.status} ${JSON.stringify(response.body)}`);
  }

  /** Events as other services would publish them, keyed by model, in batches. */
  async publish<T extends TopicName>(topic: T, items: EventInput<T>[], source: ServiceName = 'inference-gateway'): Promise<PlatformEvent<T>[]> {
    const events = items.map((data) => createEvent(topic, data, { source }));
    const messages = events.map((event) => ({ key: (event.data as { modelName?: string }).modelName ?? null, value: encodeEvent(topic, event) }));
    for (let i = 0; i < messages.length; i += 500) await this.publisher.publishRaw(topic, messages.slice(i, i + 500));
    return events;
  }

  /** The registry's announcement of a version whose training profiled `profile`, its holdout metrics the baseline. */
  async registerVersion(modelName: string, version: number, profile: ReferenceProfile, metrics: Record<string, number>): Promise<void> {
    const stored = await this.store.putBuffer(BUCKETS.artifacts, `runs/${modelName}/int-${version}/reference-profile.json`, Buffer.from(JSON.stringify(profile)));
    await this.publish('mlops.registry.version-registered', [{
      modelName, version, riskTier: 'limited',
      artifact: { uri: `s3://mlops-artifacts/${modelName}/${version}/model.onnx`, sha256: stored.sha256, sizeBytes: 1 },
      signature: { inputs: [{ name: 'features', elementType: 'float32', shape: [null, profile.features.length] }], outputs: [] },
      metrics, referenceProfileUri: stored.uri,
      lineage: { runId: null, datasetSnapshotId: null, datasetSha256: null, codeVersion: null, parentVersion: null },
      registeredAt: new Date().toISOString(),
    }], 'registry');
    await waitFor(`the reference of ${modelName} v${version}`, async () => {
      const res = await this.call<{ items: { version: number }[] }>('GET', `/models/${modelName}/references`);
      return res.body.items.some((r) => r.version === version) || undefined;
    }, { timeoutMs: 60_000 });
  }

  /** What the monitor published about one model, in the order it was read. */
  received<T extends Tapped>(topic: T, modelName: string): PlatformEvent<T>[] {
    return this.events.filter((e) => e.type.startsWith(`${topic}.v`) && (e.data as { modelName: string }).modelName === modelName) as PlatformEvent<T>[];
  }

  async awaitReceived<T extends Tapped>(topic: T, modelName: string, count: number, timeoutMs = 90_000): Promise<PlatformEvent<T>[]> {
    return waitFor(`${count} ${topic} about ${modelName}`, async () => {
      const found = this.received(topic, modelName);
      return found.length >= count ? found : undefined;
    }, { timeoutMs, intervalMs: 100 });
  }

  /** Waits until the monitor has evaluated `count` windows of the model (any version and role). */
  async awaitWindows(modelName: string, count: number, timeoutMs = 90_000): Promise<void> {
    await waitFor(`${count} windows of ${modelName}`, async () => {
      const res = await this.call<{ items: unknown[] }>('GET', `/models/${modelName}/drift?limit=1000`);
      return res.body.items.length >= count || undefined;
    }, { timeoutMs });
  }

  private async startMonitor(): Promise<void> {
    this.process = await ServiceProcess.start('monitor', { MLOPS_MONITOR_CHECKPOINT_INTERVAL_MS: '300', MLOPS_MONITOR_LABEL_HORIZON_SECONDS: '600', ...this.env });
    await this.process.waitUntilReady();
  }
}

function headerText(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(Array.isArray(value) ? value[0] : value)]));
}
