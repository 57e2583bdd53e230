/** A positive number a bench or drill takes from its environment, or the fallback; anything else stops it, naming the variable. */
export function positiveSetting(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}: expected a positive number, got ${env[name]}`);
  return value;
}
