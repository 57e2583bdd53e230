// Our histogram GBDT against LightGBM on the same synthetic data (scikit-learn make_classification, 20 features,
// 80/20 split written once as Parquet by gbdt_lightgbm.py), same hyperparameters: holdout AUC, training time
// (fit only, binning included on both sides, data loading excluded) and peak RSS of each process. Prints
// figures; asserts nothing. Targets: AUC within 0.005 of LightGBM, time <= 3x LightGBM. Each side trains
// `repeats` times and reports its fastest fit, which damps the noise of a shared machine.
//   pip install -r bench/requirements.txt
//   node -r @swc-node/register bench/trainer/gbdt-vs-lightgbm.bench.ts [rows=100000,1000000] [iterations=100] [repeats=3]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GbdtModel, predict, readParquetDataset, rocAuc, trainGbdt } from '@mlops/ml';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const ITERATIONS = Number(process.argv[3] ?? 100);
const REPEATS = Number(process.argv[4] ?? 3);
const HELPER = join(__dirname, 'gbdt_lightgbm.py');
const FEATURES = Array.from({ length: 20 }, (_, i) => `f${i}`);
// LightGBM's defaults, spelled out on both sides
const PARAMS = { numIterations: ITERATIONS, learningRate: 0.1, numLeaves: 31, minChildSamples: 20, maxBins: 255, l2: 0 };
const LIGHTGBM_PARAMS = { n_estimators: ITERATIONS, learning_rate: 0.1, num_leaves: 31, min_child_samples: 20, max_bin: 255, reg_lambda: 0 };

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
const mib = (bytes: number) => bytes / 1024 / 1024;

interface LightGbmFigures {
  auc: number;
  seconds: number;
  peakRssMiB: number;
  version: string;
}

interface Row {
  rows: number;
  ours: { auc: number; seconds: number; peakRssMiB: number };
  /** LightGBM as it runs by default, on every core. */
  lightgbm: LightGbmFigures;
  /** LightGBM on one thread like ours: less sensitive to other load on a shared machine. */
  lightgbmOneThread: LightGbmFigures;
  loadAverage: number;
}

function runLightGbm(dir: string, params: Record<string, number>): LightGbmFigures {
  const out = execFileSync('python3', [HELPER, 'lightgbm', '--data', dir, '--params', JSON.stringify(params), '--repeats', String(REPEATS)], {
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

async function runSize(rows: number): Promise<Row> {
  const dir = join(tmpdir(), 'mlops-gbdt-bench', String(rows));
  if (!existsSync(join(dir, 'holdout.parquet'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('python3', [HELPER, 'generate', '--rows', String(rows), '--out', dir], { stdio: 'inherit' });
  }
  const lightgbm = runLightGbm(dir, LIGHTGBM_PARAMS);
  const lightgbmOneThread = runLightGbm(dir, { ...LIGHTGBM_PARAMS, n_jobs: 1 });
  const columns = { featureColumns: FEATURES, labelColumn: 'label' };
  const train = await readParquetDataset(join(dir, 'train.parquet'), columns);
  const holdout = await readParquetDataset(join(dir, 'holdout.parquet'), columns);
  let seconds = Infinity;
  let model: GbdtModel | undefined;
  for (let i = 0; i < REPEATS; i++) {
    const started = process.hrtime.bigint();
    model = trainGbdt('gbdt_classifier', train, PARAMS, { seed: 42 }).model;
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - started) / 1e9);
  }
  if (!model) throw new Error('repeats must be at least 1');
  const auc = rocAuc(holdout.labels, predict(model, holdout.features));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { rows, ours: { auc, seconds, peakRssMiB: mib(peakRss) }, lightgbm, lightgbmOneThread, loadAverage: loadavg()[0] };
}

async function main(): Promise<void> {
  console.log(`GBDT vs LightGBM: make_classification, 20 features, 80/20 split, ${ITERATIONS} rounds, 31 leaves, lr 0.1, 255 bins, best of ${REPEATS}`);
  const results: Row[] = [];
  for (const rows of SIZES) {
    const r = await runSize(rows);
    results.push(r);
    const gap = r.lightgbm.auc - r.ours.auc;
    const ratio = r.ours.seconds / r.lightgbm.seconds;
    console.log(
      [
        `rows=${rows.toLocaleString('en-US')} (train ${Math.round(rows * 0.8).toLocaleString('en-US')})`,
        `  ours     AUC ${r.ours.auc.toFixed(5)}  train ${r.ours.seconds.toFixed(2)} s  peak RSS ${r.ours.peakRssMiB.toFixed(0)} MiB (node, cumulative over sizes)`,
        `  LightGBM AUC ${r.lightgbm.auc.toFixed(5)}  train ${r.lightgbm.seconds.toFixed(2)} s  peak RSS ${r.lightgbm.peakRssMiB.toFixed(0)} MiB (python, v${r.lightgbm.version}, ${cpus().length} threads)`,
        `  LightGBM AUC ${r.lightgbmOneThread.auc.toFixed(5)}  train ${r.lightgbmOneThread.seconds.toFixed(2)} s  (1 thread)`,
        `  AUC gap ${gap.toFixed(5)} (target <= 0.005: ${gap <= 0.005 ? 'met' : 'MISSED'})  time ratio ${ratio.toFixed(2)}x (target <= 3x: ${ratio <= 3 ? 'met' : 'MISSED'})` +
          `, ${(r.ours.seconds / r.lightgbmOneThread.seconds).toFixed(2)}x of 1-thread LightGBM`,
        `  1-minute load average ${r.loadAverage.toFixed(2)} on ${cpus().length} CPUs (other work on the machine slows both sides)`,
      ].join('\n'),
    );
  }
  console.log(JSON.stringify(results));
  clearInterval(sampler);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
