import { bootstrapService, loadConfigOrExit, retryUntil } from '@mlops/service-kit';
import { governanceService } from './governance.service';
import { loadSeedKeys } from './seed-api-keys/seed-api-keys.config';
import { SeedApiKeys } from './seed-api-keys/seed-api-keys.use-case';

const { platform, own: seeds } = loadConfigOrExit('governance', loadSeedKeys);

// The seed keys go in once migrations have run; until then the admin key is not known anywhere.
void bootstrapService(governanceService, platform).then(async ({ app, runtime, ready }) => {
  await ready;
  if (seeds.keys.length === 0) return;
  const log = runtime.logger.child('SeedApiKeys');
  const created = await retryUntil('seeding API keys', () => app.get(SeedApiKeys).execute(seeds.keys), log, {
    initialDelayMs: 500,
    maxDelayMs: 5000,
    isCancelled: () => !runtime.isStarted(),
  });
  log.log(`${created} of ${seeds.keys.length} seed API key(s) were new`);
}).catch(() => undefined /* start-up failures are logged by bootstrapService; a stop during start leaves nothing to seed */);
