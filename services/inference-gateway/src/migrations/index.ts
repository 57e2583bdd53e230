import { messagingMigration } from '@mlops/messaging';

export const inferenceGatewayMigrations = [messagingMigration('inference_gateway')];
