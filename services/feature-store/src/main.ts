import { ConfigError } from '@mlops/config';
import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { FeatureStoreConfig, loadFeatureStoreConfig } from './config/feature-store.config';
import { featureStoreService } from './feature-store.service';
import { serveOnlineFeaturesGrpc } from './online/online-features-grpc.transport';

function loadOwnConfigOrExit(): FeatureStoreConfig {
  try {
    return loadFeatureStoreConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`mlops-feature-store: ${err.message}\n`);
    process.exit(1);
  }
}

const platform = loadConfigOrExit('feature-store');
const config = loadOwnConfigOrExit();
void bootstrapService(featureStoreService(config), platform).then(({ app }) => serveOnlineFeaturesGrpc(app, config.grpc));
