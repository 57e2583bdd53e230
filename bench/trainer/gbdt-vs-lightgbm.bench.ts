// Our histogram GBDT against LightGBM on the same synthetic data (scikit-learn make_classification, 20 features,
// 80/20 split written once as Parquet by gbdt_lightgbm.py), same hyperparameters and the same number of threads
// on both sides (1, then 2: ours puts a helper thread on the large histograms, LightGBM gets n_jobs=2): holdout
// AUC, training time (fit only, binning included on both sides, data loading excluded), the CPU time of that fit
// (all threads; steadier than wall time on a busy machine) and peak RSS of each process. Prints figures; asserts
// nothing. Targets: AUC within 0.005 of LightGBM, time <= 3x LightGBM. Each side trains `repeats` times and
// reports its fastest fit, which damps the noise of a shared machine.
//   pip install -r bench/requirements.txt
//   node -r @swc-node/register bench/trainer/gbdt-vs-lightgbm.bench.ts [rows=100000,1000000] [iterations=100] [repeats=3] [threads=1,2]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GbdtModel, LabeledDataset, predict, readParquetDataset, rocAuc, trainGbdt } from '@mlops/ml';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.argv[3] ?? 100);
const REPEATS = Number(process.argv[4] ?? 3);
const THREADS = (process.argv[5] ?? '1,2').split(',').map(Number) as (1 | 2)[];
const HELPER = join(__dirname, 'gbdt_lightgbm.py');
const FEATURES = Array.from({ length: 20 }, (_, i) => `f${i}`);
// LightGBM's defaults, spelled out on both sides
const PARAMS = { numIterations: ITERATIONS, learningRate: 0.1, numLeaves: 31, minChildSamples: 20, maxBins: 255, l2: 0 };
const LIGHTGBM_PARAMS = { n_estimators: ITERATIONS, learning_rate: 0.1, num_leaves: 31, min_child_samples: 20, max_bin: 255, reg_lambda: 0 };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mib = (bytes: number) => bytes / 1024 / 1024;

interface Figures {
  auc: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
}

interface LightGbmFigures extends Figures {
  version: string;
}

interface Comparison {
  rows: number;
  threads: number;
  ours: Figures;
  lightgbm: LightGbmFigures;
  loadAverage: number;
}

function runLightGbm(dir: string, threads: number): LightGbmFigures {
  const params = JSON.stringify({ ...LIGHTGBM_PARAMS, n_jobs: threads });
  const out = execFileSync('python3', [HELPER, 'lightgbm', '--data', dir, '--params', params, '--repeats', String(REPEATS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function runOurs(train: LabeledDataset, holdout: LabeledDataset, threads: 1 | 2): Figures {
  let seconds = Infinity;
  let cpuSeconds = Infinity;
  let model: GbdtModel | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    model = trainGbdt('gbdt_classifier', train, PARAMS, { seed: 42, threads }).model;
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuStarted);
    if (wall < seconds) [seconds, cpuSeconds] = [wall, (cpu.user + cpu.system) / 1e6];
  }
  if (!model) throw new Error('repeats must be at least 1');
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { auc: rocAuc(holdout.labels, predict(model, holdout.features)), seconds, cpuSeconds, peakRssMiB: mib(peakRss) };
}

async function runSize(rows: number): Promise<Comparison[]> {
  const dir = join(tmpdir(), 'mlops-gbdt-bench', String(rows));
  if (!existsSync(join(dir, 'holdout.parquet'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('python3', [HELPER, 'generate', '--rows', String(rows), '--out', dir], { stdio: 'inherit' });
  }
  const columns = { featureColumns: FEATURES, labelColumn: 'label' };
  const train = await readParquetDataset(join(dir, 'train.parquet'), columns);
  const holdout = await readParquetDataset(join(dir, 'holdout.parquet'), columns);
  // each thread count back to back on both sides, so both see about the same load
  return THREADS.map((threads) => {
    const lightgbm = runLightGbm(dir, threads);
    const ours = runOurs(train, holdout, threads);
    return { rows, threads, ours, lightgbm, loadAverage: loadavg()[0] };
  });
}

function report(r: Comparison): string {
  const gap = r.lightgbm.auc - r.ours.auc;
  const ratio = r.ours.seconds / r.lightgbm.seconds;
  const side = (name: string, f: Figures) =>
    `  ${name} AUC ${f.auc.toFixed(5)}  train ${f.seconds.toFixed(2)} s (CPU ${f.cpuSeconds.toFixed(2)} s)  peak RSS ${f.peakRssMiB.toFixed(0)} MiB`;
  return [
    `rows=${r.rows.toLocaleString('en-US')} (train ${Math.round(r.rows * 0.8).toLocaleString('en-US')}), ${r.threads} thread${r.threads > 1 ? 's' : ''} each`,
    side('ours    ', r.ours) + ' (node, cumulative over runs)',
    side('LightGBM', r.lightgbm) + ` (python, v${r.lightgbm.version}, n_jobs=${r.threads})`,
    `  AUC gap ${gap.toFixed(5)} (target <= 0.005: ${gap <= 0.005 ? 'met' : 'MISSED'})  time ratio ${ratio.toFixed(2)}x (target <= 3x: ${ratio <= 3 ? 'met' : 'MISSED'})` +
      `  CPU-time ratio ${(r.ours.cpuSeconds / r.lightgbm.cpuSeconds).toFixed(2)}x`,
    `  1-minute load average ${r.loadAverage.toFixed(2)} on ${cpus().length} CPUs (other work on the machine slows both sides)`,
  ].join('\n');
}

async function main(): Promise<void> {
  console.log(
    `GBDT vs LightGBM: make_classification, 20 features, 80/20 split, ${ITERATIONS} rounds, 31 leaves, lr 0.1, 255 bins, ` +
      `min_child_samples 20, best of ${REPEATS}, threads ${THREADS.join(' and ')}`,
  );
  const results: Comparison[] = [];
  for (const rows of SIZES) {
    for (const r of await runSize(rows)) {
      results.push(r);
      console.log(report(r));
    }
  }
  console.log(JSON.stringify(results));
  clearInterval(sampler);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
