"""Logistic regression with scikit-learn, exported with skl2onnx: an example of bring-your-own training.

Contract (services/trainer/README.md, "Bring your own training"):
  argv: <dataset.parquet> <params.json> <output-dir>
  env:  MLOPS_TRAIN_LABEL_COLUMN, MLOPS_TRAIN_FEATURE_COLUMNS (JSON array), MLOPS_TRAIN_HOLDOUT_ROWS_FILE,
        MLOPS_TRAIN_SEED, MLOPS_TRAIN_TASK, ...
  writes <output-dir>/model.onnx and <output-dir>/metrics.json
Params (all optional): C (inverse L2 strength, default 1.0), max_iter (default 200).
"""
import json
import os
import sys

import numpy as np
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import FloatTensorType
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main(dataset_path: str, params_path: str, output_dir: str) -> None:
    with open(params_path, encoding="utf-8") as f:
        params = json.load(f)
    if os.environ.get("MLOPS_TRAIN_TASK", "classification") != "classification":
        sys.exit("sklearn-logistic trains binary classifiers only (MLOPS_TRAIN_TASK is %s)" % os.environ["MLOPS_TRAIN_TASK"])
    label = os.environ["MLOPS_TRAIN_LABEL_COLUMN"]
    features = json.loads(os.environ["MLOPS_TRAIN_FEATURE_COLUMNS"])
    seed = int(os.environ.get("MLOPS_TRAIN_SEED", "0"))

    frame = pd.read_parquet(dataset_path, columns=features + [label])
    x = frame[features].astype("float32").to_numpy()
    y = frame[label].astype("int64").to_numpy()

    # The platform scores the model on these rows; training on them would inflate its metrics.
    with open(os.environ["MLOPS_TRAIN_HOLDOUT_ROWS_FILE"], encoding="utf-8") as f:
        held = np.zeros(len(y), dtype=bool)
        held[json.load(f)] = True
    print(f"dataset: {len(y)} rows, {len(features)} features; training on {int((~held).sum())}, holding out {int(held.sum())}")

    model = make_pipeline(
        SimpleImputer(strategy="median"),
        StandardScaler(),
        LogisticRegression(C=float(params.get("C", 1.0)), max_iter=int(params.get("max_iter", 200)), random_state=seed),
    )
    model.fit(x[~held], y[~held])
    probabilities = model.predict_proba(x[held])[:, 1]
    metrics = {
        "auc": float(roc_auc_score(y[held], probabilities)),
        "log_loss": float(log_loss(y[held], probabilities, labels=[0, 1])),
        "accuracy": float(accuracy_score(y[held], probabilities > 0.5)),
    }
    print("holdout metrics: " + " ".join(f"{k}={v:.4f}" for k, v in metrics.items()))

    # Plain tensors instead of a ZipMap: a [N, 2] float "probabilities" output like the built-in classifiers.
    onnx = to_onnx(
        model,
        initial_types=[("features", FloatTensorType([None, len(features)]))],
        options={id(model.steps[-1][1]): {"zipmap": False}},
        final_types=[("label", None), ("probabilities", None)],
        target_opset={"": 17, "ai.onnx.ml": 3},
    )
    with open(os.path.join(output_dir, "model.onnx"), "wb") as f:
        f.write(onnx.SerializeToString())
    with open(os.path.join(output_dir, "metrics.json"), "w", encoding="utf-8") as f:
        json.dump(metrics, f)
    print(f"wrote model.onnx and metrics.json to {output_dir}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: train <dataset.parquet> <params.json> <output-dir>")
    main(*sys.argv[1:])
