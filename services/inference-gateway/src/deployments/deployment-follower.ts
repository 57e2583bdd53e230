import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EventConsumer } from '@mlops/messaging';
import { JsonLogger, logContext } from '@mlops/observability';
import { PlatformRuntime, retryUntil } from '@mlops/service-kit';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway-config';
import { ModelRepository } from '../models/model-repository';
import { DeploymentBacklog } from './deployment-backlog';
import { RegistryClient } from './registry-client';
import { ReplicaConsumerGroup } from './replica-consumer-group';

/**
 * Converges this replica to what the registry says is deployed: first the registry API's current list, then
 * every `deployment-changed`. Every replica must see every change, so each reads the topic under a group of
 * its own (ReplicaConsumerGroup) from the beginning: the history up to where the topic ends at start is folded to
 * the newest revision per model and those are loaded at once (DeploymentBacklog), then the group follows live
 * records from there. The repository keeps only the newest revision per model, so events that overlap the start-up
 * list are harmless.
 */
@Injectable()
export class DeploymentFollower implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: EventConsumer | null = null;
  private following: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly log: JsonLogger;
  private readonly group: ReplicaConsumerGroup;
  private readonly backlog: DeploymentBacklog;

  constructor(
    private readonly runtime: PlatformRuntime,
    private readonly repository: ModelRepository,
    private readonly registry: RegistryClient,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('DeploymentFollower');
    this.group = new ReplicaConsumerGroup(runtime.kafka, config.replicaId);
    this.backlog = new DeploymentBacklog(runtime.kafka, this.group.groupId, this.log);
  }

  onApplicationBootstrap(): void {
    const retry = { initialDelayMs: 1000, maxDelayMs: 30_000, isCancelled: () => this.stopping };
    void retryUntil('registry deployments', () => this.loadFromRegistry(), this.log, retry).catch(() => undefined);
    this.following = retryUntil('deployment-changed consumer', () => this.follow(), this.log, { ...retry, initialDelayMs: 500, maxDelayMs: 5000 }).catch(() => undefined);
  }

  /** Waits for a backlog read in progress (it creates the group) so that the group is deleted after it, not before. */
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.following;
    await this.consumer?.stop().catch(() => undefined);
    await this.group.delete().catch((err: Error) => this.log.warn(`could not delete consumer group ${this.group.groupId}: ${err.message}`));
  }

  private async loadFromRegistry(): Promise<void> {
    const deployments = await this.registry.currentDeployments();
    const outcomes = await Promise.all(deployments.map((deployment) => this.repository.apply(deployment)));
    this.log.log(`registry listed ${deployments.length} deployment(s): ${outcomes.filter((o) => o === 'applied').length} applied, ${outcomes.filter((o) => o === 'failed').length} failed`);
  }

  private async follow(): Promise<void> {
    if (!this.consumer) {
      await this.group.delete();
      await this.catchUp();
      if (this.stopping) return;
      const consumer = new EventConsumer(this.runtime.kafka, {
        service: 'inference-gateway',
        groupId: this.group.groupId,
        publisher: this.runtime.publisher,
        logger: this.log.child('EventConsumer'),
        fromBeginning: true,
        wrap: (eventId, fn) => logContext.run({ eventId }, fn),
        observer: this.runtime.consumption,
        session: this.runtime.config.consumerSession,
      });
      // A load failure is recorded and reported by the repository and the previous revision keeps serving;
      // the record itself was valid, so it is handled rather than dead-lettered.
      consumer.on('mlops.registry.deployment-changed', async (event) => void (await this.repository.apply(event.data)));
      this.consumer = consumer;
    }
    await this.consumer.start();
    this.log.log(`following deployment changes as consumer group ${this.group.groupId}`);
  }

  private async catchUp(): Promise<void> {
    const { newest, ends, records } = await this.backlog.read();
    const outcomes = await Promise.all(newest.map((change) => this.repository.apply(change)));
    await this.backlog.commitEnds(ends);
    const count = (outcome: string) => outcomes.filter((o) => o === outcome).length;
    this.log.log(`deployment history: ${records} record(s) folded to ${newest.length} model(s): ${count('applied')} applied, ${count('stale')} already served, ${count('failed')} failed`);
  }
}
