import { Module } from '@nestjs/common';

/** The inference-gateway's own capabilities are added here as their use cases land; the platform wiring is in service-kit. */
@Module({})
export class InferenceGatewayModule {}
