// Runs h2spec against a bare @grpc/grpc-js server and against the gateway's gRPC port (see h2spec.sh), one after the
// other, and prints each one's summary and failed cases. The bare server gets the standard server options the gateway
// sets by default: with a concurrent stream limit advertised, h2spec runs its case 5.1.2 (streams past the limit),
// which it skips on a server without one. Several cases end in h2spec's 2 s timeout, so a count can move by one with
// the machine's load.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { freePort, ServiceProcess } from '@mlops/testing';
import { startFloor } from './floors/start-floor';

interface H2specResult {
  summary: string;
  failed: number;
  failures: string[];
}

const MODEL_PATH = join(__dirname, '..', '..', 'test', 'fixtures', 'models', 'sklearn-logreg-20.onnx');
/** As services/inference-gateway/src/oip-grpc/oip-grpc-server.ts sets them with the gateway's default settings. */
const GATEWAY_SERVER_OPTIONS = {
  'grpc.max_receive_message_length': 16 * 1024 * 1024,
  'grpc.max_send_message_length': 16 * 1024 * 1024,
  'grpc.max_concurrent_streams': 100,
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
};

function h2spec(binary: string, port: number): Promise<H2specResult> {
  return new Promise((resolve, reject) =>
    // h2spec exits non-zero when a case fails: its report is on stdout either way.
    execFile(binary, ['-h', '127.0.0.1', '-p', String(port)], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      const summary = /^\d+ tests, \d+ passed, \d+ skipped, (\d+) failed$/m.exec(stdout);
      if (!summary) return reject(new Error(`h2spec gave no summary: ${err?.message ?? ''}\n${stdout.slice(-2000)}`));
      const failures = stdout.slice(stdout.indexOf('Failures:')).split('\n').filter((line) => line.includes('×'));
      resolve({ summary: summary[0], failed: Number(summary[1]), failures: failures.map((line) => line.trim()) });
    }),
  );
}

async function main(binary: string): Promise<number> {
  const bare = await startFloor('grpc-js-model-infer.server.ts', MODEL_PATH, JSON.stringify(GATEWAY_SERVER_OPTIONS));
  const grpcPort = await freePort();
  const gateway = await ServiceProcess.start('inference-gateway', {
    MLOPS_LOG_LEVEL: 'warn',
    MLOPS_GATEWAY_GRPC_PORT: String(grpcPort),
    MLOPS_GATEWAY_REPLICA_ID: `h2spec-${randomUUID()}`,
    MLOPS_GATEWAY_REGISTRY_URL: `http://127.0.0.1:${await freePort()}`,
  });
  try {
    await gateway.waitUntilReady('/v2/health/ready');
    const bareResult = await h2spec(binary, bare.port);
    const gatewayResult = await h2spec(binary, grpcPort);
    for (const [label, result] of [['bare @grpc/grpc-js server, the same server options', bareResult], ['gateway gRPC port', gatewayResult]] as const) {
      console.log(`${label}: ${result.summary}`);
      for (const failure of result.failures) console.log(`    ${failure}`);
    }
    const verdict = gatewayResult.failed <= bareResult.failed ? 'no more than' : 'MORE than';
    console.log(`the gateway fails ${gatewayResult.failed} cases, ${verdict} the bare grpc-js server's ${bareResult.failed}`);
    return gatewayResult.failed <= bareResult.failed ? 0 : 1;
  } finally {
    await gateway.stop();
    bare.child.kill();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
