export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** Thrown at start-up so one message tells the operator everything to fix, not the first problem only. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.variable}: ${p.reason}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}
