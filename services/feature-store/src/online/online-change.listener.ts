import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, Notification } from 'pg';
import type { PlatformConfig } from '@mlops/config';
import { JsonLogger } from '@mlops/observability';
import { PLATFORM_CONFIG } from '@mlops/service-kit';
import { ONLINE_CHANGES_CHANNEL } from '../migrations/1763870000400-online-change-notifications';
import { OnlineValueCache } from './online-value.cache';

const RETRY_MS = 1000;

/**
 * Holds a LISTEN connection for the online-value change notifications a trigger sends on every commit that
 * writes online values, whoever the writer, and drops the changed rows from the cache. The cache is only used
 * while this connection is up: on a lost connection it is emptied and bypassed until LISTEN works again, since
 * the changes committed in between were never heard.
 */
@Injectable()
export class OnlineChangeListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private client: Client | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly log: JsonLogger;

  constructor(
    private readonly cache: OnlineValueCache,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    logger: JsonLogger,
  ) {
    this.log = logger.child('OnlineChangeListener');
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.cache.enabled) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.cache.setLive(false);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** True while notifications are heard (and the cache in use). */
  get listening(): boolean {
    return this.cache.usable;
  }

  /** The Postgres backend holding the LISTEN, while there is one: what an operator (or a test) terminates to cut it. */
  get backendPid(): number | undefined {
    return this.listening ? (this.client as unknown as { processID?: number } | null)?.processID : undefined;
  }

  private async listen(): Promise<void> {
    const client = new Client({
      connectionString: this.config.postgres.url,
      application_name: `mlops-${this.config.service}-online-listen`,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    this.client = client;
    client.on('notification', (message) => this.apply(message));
    client.on('error', (err) => this.lost(client, err.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${ONLINE_CHANGES_CHANNEL}`);
    } catch (err) {
      this.lost(client, (err as Error).message);
      return;
    }
    if (this.client !== client) return;
    // Whatever was read before LISTEN took effect may have changed unheard: start empty.
    this.cache.setLive(true);
    this.log.log(`online cache of ${this.cache.capacity} entries in use`);
  }

  private lost(client: Client, reason: string): void {
    if (this.client !== client) return;
    this.client = null;
    this.cache.setLive(false);
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.warn(`online change notifications lost (${reason}); the online cache is off until they are heard again`);
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.listen();
    }, RETRY_MS);
  }

  private apply(message: Notification): void {
    const payload = message.payload ?? '*';
    if (payload === '*') {
      this.cache.clear();
      return;
    }
    try {
      const [view, keys] = JSON.parse(payload) as [string, string[] | undefined];
      if (keys === undefined) this.cache.invalidateView(view);
      else this.cache.invalidate(view, keys);
    } catch {
      this.log.warn(`unreadable online change notification, dropping the online cache: ${payload.slice(0, 200)}`);
      this.cache.clear();
    }
  }
}
