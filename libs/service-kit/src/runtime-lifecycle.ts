import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PlatformRuntime } from './platform-runtime';

/** On SIGTERM, stop consuming and drain the relay before connections close, so no applied event is half-done. */
@Injectable()
export class RuntimeLifecycle implements OnApplicationShutdown {
  constructor(private readonly runtime: PlatformRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.stop();
  }
}
