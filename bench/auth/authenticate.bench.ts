// What checking an API key costs a service: the first request with a key runs scrypt (the stored hash's cost),
// every later one is answered from the SHA-256 of the verified secret. In process, no I/O. Prints figures;
// asserts nothing.
//   node -r @swc-node/register bench/auth/authenticate.bench.ts [requests=200000]
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { ApiKeyAuthenticator, generateApiKey, hashSecret, KeyDirectory } from '@mlops/auth';

const REQUESTS = Number(process.argv[2] ?? 200_000);
const FIRST_CHECKS = 20;

async function main(): Promise<void> {
  const directory = new KeyDirectory();
  const keys = [];
  for (let i = 0; i < FIRST_CHECKS; i++) {
    const key = generateApiKey();
    directory.apply({
      keyId: key.keyId,
      principal: { id: randomUUID(), name: `bench-${i}`, kind: 'service', roles: ['app'] },
      secretHash: await hashSecret(key.secret),
      createdAt: new Date().toISOString(),
      expiresAt: null,
      revokedAt: null,
      changedBy: 'bench',
    });
    keys.push(`Bearer ${key.apiKey}`);
  }
  directory.markLoaded();
  const authenticator = new ApiKeyAuthenticator(directory);

  const firstStart = process.hrtime.bigint();
  for (const header of keys) {
    const outcome = await authenticator.authenticate(header, 'inference:call');
    if (!outcome.ok) throw new Error(outcome.message);
  }
  const firstMs = Number(process.hrtime.bigint() - firstStart) / 1e6 / keys.length;

  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await authenticator.authenticate(keys[i % keys.length], 'inference:call');
  const wallUs = Number(process.hrtime.bigint() - start) / 1e3 / REQUESTS;
  const cpu = process.cpuUsage(cpuStart);
  const cpuUs = (cpu.user + cpu.system) / REQUESTS;

  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews these)`);
  console.log(`first check of a key (scrypt N=16384 r=8 p=1): ${firstMs.toFixed(1)} ms, mean of ${keys.length} keys`);
  console.log(`later checks (cached SHA-256): ${wallUs.toFixed(2)} us wall, ${cpuUs.toFixed(2)} us CPU per request over ${REQUESTS.toLocaleString('en-US')}`);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
