import { ConfigError } from '@mlops/config';
import type { ServiceName } from '@mlops/contracts';

/** Runs a config loader at start; a ConfigError stops the process with its message, which names each variable. */
export function configOrExit<T>(service: ServiceName, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`mlops-${service}: ${err.message}\n`);
    process.exit(1);
  }
}
