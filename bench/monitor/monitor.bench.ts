// The monitor's benchmark. Its code drives the monitor's own stream classes, which module boundaries keep out of
// bench/, so it lives in services/monitor/bench and this entry point runs it as a process of its own.
//   node -r @swc-node/register bench/monitor/monitor.bench.ts [logs=400000] [--logs-10m]
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const child = spawn(process.execPath, ['--expose-gc', '-r', '@swc-node/register', join(root, 'services/monitor/bench/stream.bench.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
child.on('exit', (code) => process.exit(code ?? 1));
