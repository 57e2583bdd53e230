import { DynamicModule, Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EventPublisher, OutboxWriter } from '@mlops/messaging';
import { ObjectStore } from '@mlops/storage';
import { PlatformRuntime } from './platform-runtime';
import { RuntimeLifecycle } from './runtime-lifecycle';

export const PLATFORM_CONFIG = Symbol('PLATFORM_CONFIG');

/**
 * Exposes the runtime's shared connections to every module of a service through Nest's injector (the logger and
 * metrics registry come from ObservabilityModule).
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(runtime: PlatformRuntime): DynamicModule {
    const providers = [
      { provide: PlatformRuntime, useValue: runtime },
      { provide: PLATFORM_CONFIG, useValue: runtime.config },
      { provide: DataSource, useValue: runtime.dataSource },
      { provide: ObjectStore, useValue: runtime.objectStore },
      { provide: EventPublisher, useValue: runtime.publisher },
      { provide: OutboxWriter, useValue: runtime.outbox },
    ];
    return {
      module: PlatformModule,
      providers: [...providers, RuntimeLifecycle],
      exports: providers.map((p) => p.provide),
    };
  }
}
