"""Helper for gbdt-vs-lightgbm.bench.ts.

  generate --rows N --out DIR [--seed S]   make_classification (20 features) split 80/20 into
                                            DIR/train.parquet and DIR/holdout.parquet (float32 features, label)
  lightgbm --data DIR --params JSON [--repeats K]
                                            trains LightGBM on train.parquet K times, prints one JSON line:
                                            holdout AUC, fastest fit (wall and CPU seconds), peak RSS of this process
"""
import argparse
import json
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

FEATURES = 20


def generate(rows: int, out: str, seed: int) -> None:
    from sklearn.datasets import make_classification

    x, y = make_classification(
        n_samples=rows, n_features=FEATURES, n_informative=10, n_redundant=5, flip_y=0.05, random_state=seed
    )
    x = x.astype(np.float32)
    order = np.random.default_rng(seed).permutation(rows)
    holdout = rows // 5
    for name, idx in (("holdout", np.sort(order[:holdout])), ("train", np.sort(order[holdout:]))):
        columns = {f"f{i}": x[idx, i] for i in range(FEATURES)}
        columns["label"] = y[idx].astype(np.float32)
        # plain encoding, no compression, modest row groups, read on the TypeScript side by readParquetDataset
        pq.write_table(
            pa.table(columns), f"{out}/{name}.parquet", compression="none", use_dictionary=False, row_group_size=100_000
        )


def read(path: str):
    table = pq.read_table(path)
    x = np.column_stack([table.column(f"f{i}").to_numpy() for i in range(FEATURES)])
    return x, table.column("label").to_numpy()


def train_lightgbm(data: str, params: dict, repeats: int) -> None:
    import lightgbm as lgb
    from sklearn.metrics import roc_auc_score

    x_train, y_train = read(f"{data}/train.parquet")
    x_holdout, y_holdout = read(f"{data}/holdout.parquet")
    seconds = float("inf")
    cpu_seconds = float("inf")
    for _ in range(repeats):
        model = lgb.LGBMClassifier(verbose=-1, **params)
        started, cpu_started = time.perf_counter(), time.process_time()
        model.fit(x_train, y_train)
        if time.perf_counter() - started < seconds:
            seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    auc = roc_auc_score(y_holdout, model.predict_proba(x_holdout)[:, 1])
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {"auc": auc, "seconds": seconds, "cpuSeconds": cpu_seconds, "peakRssMiB": peak_kib / 1024, "version": lgb.__version__}
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["generate", "lightgbm"])
    parser.add_argument("--rows", type=int)
    parser.add_argument("--out")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data")
    parser.add_argument("--params", default="{}")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    if args.command == "generate":
        generate(args.rows, args.out, args.seed)
    else:
        train_lightgbm(args.data, json.loads(args.params), args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
