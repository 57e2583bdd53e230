import { ConfigError } from '@mlops/config';
import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { loadGatewayConfig } from './config/gateway-config';
import { inferenceGatewayService } from './inference-gateway.service';

const platform = loadConfigOrExit('inference-gateway');
let gateway;
try {
  gateway = loadGatewayConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`mlops-inference-gateway: ${err.message}\n`);
  process.exit(1);
}
void bootstrapService(inferenceGatewayService(gateway), platform);
