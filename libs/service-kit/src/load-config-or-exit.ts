import { ConfigError, ConfigProblem, Environment, loadPlatformConfig, PlatformConfig } from '@mlops/config';
import type { ServiceName } from '@mlops/contracts';

/**
 * The one way a service reads its configuration, once, in main: the platform's shared settings and, when the
 * service has one, its own typed section. A missing or bad variable in either stops the process with one message
 * naming every variable to fix.
 */
export function loadConfigOrExit(service: ServiceName): PlatformConfig;
export function loadConfigOrExit<Own>(service: ServiceName, loadOwn: (env?: Environment) => Own): { platform: PlatformConfig; own: Own };
export function loadConfigOrExit<Own>(service: ServiceName, loadOwn?: (env?: Environment) => Own): PlatformConfig | { platform: PlatformConfig; own: Own } {
  const problems: ConfigProblem[] = [];
  const read = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const platform = read(() => loadPlatformConfig(service));
  const own = loadOwn ? read(() => loadOwn()) : undefined;
  if (problems.length > 0) {
    process.stderr.write(`mlops-${service}: ${new ConfigError(problems).message}\n`);
    process.exit(1);
  }
  return loadOwn ? { platform: platform as PlatformConfig, own: own as Own } : (platform as PlatformConfig);
}
