import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { loadGatewayConfig } from './config/gateway-config';
import { inferenceGatewayService } from './inference-gateway.service';

const { platform, own } = loadConfigOrExit('inference-gateway', loadGatewayConfig);
void bootstrapService(inferenceGatewayService(own), platform);
