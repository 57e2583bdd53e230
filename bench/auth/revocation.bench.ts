// How long a revoked key keeps working: governance commits the revocation and its event (outbox), the relay
// publishes it, and every service drops the key when the event reaches its key directory. Measured from
// DELETE /keys/{id} answering to both governance and registry answering 401, polled every 10 ms, against the
// real Postgres and Kafka. Prints figures; asserts nothing.
//   node -r @swc-node/register bench/auth/revocation.bench.ts [keys=10]
import { loadavg } from 'node:os';
import type { CreatedApiKey, PrincipalView } from '@mlops/contracts';
import { getJson, sendJson, ServiceProcess, waitFor } from '@mlops/testing';

const KEYS = Number(process.argv[2] ?? 10);

async function main(): Promise<void> {
  const [governance, registry] = await Promise.all([ServiceProcess.start('governance'), ServiceProcess.start('registry')]);
  try {
    await Promise.all([governance.waitUntilReady(), registry.waitUntilReady()]);
    const principal = await sendJson<PrincipalView>('POST', `${governance.url}/principals`, { name: `bench-revocation-${Date.now()}`, roles: ['auditor'] });
    const both = (apiKey: string) => Promise.all([getJson(`${registry.url}/models?limit=1`, apiKey), getJson(`${governance.url}/audit?limit=1`, apiKey)]);
    const latencies: number[] = [];
    for (let i = 0; i < KEYS; i++) {
      const { body: key } = await sendJson<CreatedApiKey>('POST', `${governance.url}/principals/${principal.body.id}/keys`, { expiresInDays: 1 });
      await waitFor('the key everywhere', async () => (await both(key.apiKey)).every((res) => res.status === 200), { intervalMs: 10 });
      await sendJson('DELETE', `${governance.url}/keys/${key.keyId}`);
      const revokedAt = Date.now();
      await waitFor('the key refused everywhere', async () => (await both(key.apiKey)).every((res) => res.status === 401), { intervalMs: 10, timeoutMs: 30_000 });
      latencies.push(Date.now() - revokedAt);
    }
    latencies.sort((a, b) => a - b);
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other work on the machine skews these)`);
    console.log(`revocation to 401 on governance and registry, ${KEYS} keys: median ${latencies[Math.floor(KEYS / 2)]} ms, max ${latencies[KEYS - 1]} ms`);
    console.log(`(outbox relay poll interval 500 ms; all: ${latencies.join(', ')} ms)`);
  } finally {
    await Promise.all([governance.stop(), registry.stop()]);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
