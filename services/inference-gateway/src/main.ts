import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { inferenceGatewayService } from './inference-gateway.service';

void bootstrapService(inferenceGatewayService, loadConfigOrExit('inference-gateway'));
