import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { JsonLogger } from '@mlops/observability';
import { PlatformRuntime } from '@mlops/service-kit';
import { FEATURE_STORE_CONFIG, FeatureStoreConfig } from '../config/feature-store.config';
import { DefinitionRepository } from './definition.repository';
import type { FeatureField, FeatureViewVersion } from './feature-definitions';

export interface ResolvedFeature {
  ref: string;
  view: FeatureViewVersion;
  field: FeatureField;
}

export class UnknownFeatureError extends Error {}

/**
 * Every view version, held in memory so reads and ingestion never query definitions per request. It reloads
 * after each local apply and every refresh interval, which is how views applied on another replica reach this one.
 */
@Injectable()
export class FeatureCatalog implements OnModuleInit, OnModuleDestroy {
  private versions = new Map<string, FeatureViewVersion[]>();
  /** Refs resolved since the last reload: online reads resolve the same few refs on every request. */
  private resolved = new Map<string, ResolvedFeature>();
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners: (() => void)[] = [];
  private loaded = false;

  constructor(
    private readonly repository: DefinitionRepository,
    private readonly runtime: PlatformRuntime,
    private readonly logger: JsonLogger,
    @Inject(FEATURE_STORE_CONFIG) private readonly config: FeatureStoreConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.refreshQuietly(), this.config.definitionRefreshMs);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Calls `listener` after every reload (the source consumer compares topic sets there). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  isLoaded(): boolean {
    return this.loaded;
  }

  async refresh(): Promise<void> {
    const all = await this.repository.allViewVersions();
    const next = new Map<string, FeatureViewVersion[]>();
    for (const view of all) next.set(view.name, [...(next.get(view.name) ?? []), view]);
    this.versions = next;
    this.resolved = new Map();
    this.loaded = true;
    for (const listener of this.listeners) listener();
  }

  latest(): FeatureViewVersion[] {
    return [...this.versions.values()].map((versions) => versions[versions.length - 1]);
  }

  view(name: string, version?: number): FeatureViewVersion | undefined {
    const versions = this.versions.get(name);
    if (!versions) return undefined;
    return version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  }

  viewVersions(name: string): FeatureViewVersion[] {
    return this.versions.get(name) ?? [];
  }

  /** `view:feature` reads the newest version; `view@2:feature` pins version 2. */
  resolve(ref: string): ResolvedFeature {
    const known = this.resolved.get(ref);
    if (known) return known;
    const match = /^([a-z][a-z0-9_]*)(?:@(\d+))?:([a-z][a-z0-9_]*)$/.exec(ref);
    if (!match) throw new UnknownFeatureError(`${ref}: a feature ref is view:feature or view@version:feature`);
    const [, viewName, version, featureName] = match;
    const view = this.view(viewName, version === undefined ? undefined : Number(version));
    if (!view) {
      throw new UnknownFeatureError(`${ref}: no feature view ${viewName}${version ? ` version ${version}` : ''}`);
    }
    const field = view.definition.schema.find((f) => f.name === featureName);
    if (!field) throw new UnknownFeatureError(`${ref}: view ${viewName} v${view.version} has no feature ${featureName}`);
    const feature = { ref, view, field };
    // Bounded by the refs that exist: unknown refs throw above and are never kept.
    this.resolved.set(ref, feature);
    return feature;
  }

  private async refreshQuietly(): Promise<void> {
    if (!this.runtime.isStarted()) return;
    try {
      await this.refresh();
    } catch (err) {
      this.logger.warn(`feature definitions could not be reloaded: ${(err as Error).message}`, 'FeatureCatalog');
    }
  }
}
