import { Module } from '@nestjs/common';

/** The monitor's own capabilities are added here as their use cases land; the platform wiring is in service-kit. */
@Module({})
export class MonitorModule {}
