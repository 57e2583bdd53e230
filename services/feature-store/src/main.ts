import { bootstrapService, loadConfigOrExit } from '@mlops/service-kit';
import { loadFeatureStoreConfig } from './config/feature-store.config';
import { featureStoreService } from './feature-store.service';
import { serveOnlineFeaturesGrpc } from './online/online-features-grpc.transport';

const { platform, own } = loadConfigOrExit('feature-store', loadFeatureStoreConfig);
void bootstrapService(featureStoreService(own), platform).then(({ app }) => serveOnlineFeaturesGrpc(app, own.grpc));
