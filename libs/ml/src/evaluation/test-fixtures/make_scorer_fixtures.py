"""Builds the skl2onnx models the ONNX scorer's spec reads, with scikit-learn's own outputs on a few rows.

Run: python3 libs/ml/src/evaluation/test-fixtures/make_scorer_fixtures.py (needs scikit-learn, skl2onnx).
The outputs are committed, so the spec never needs Python.
"""
import json
from pathlib import Path

import numpy as np
from skl2onnx import to_onnx
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression

OUT = Path(__file__).parent

features, labels = make_classification(n_samples=400, n_features=4, n_informative=3, n_redundant=0, random_state=5)
features = features.astype(np.float32)
forest = RandomForestClassifier(n_estimators=5, max_depth=4, random_state=5).fit(features, labels)
# skl2onnx's default: the probabilities come out as a ZipMap (a sequence of {class: probability} maps)
(OUT / "sklearn-forest-zipmap-4.onnx").write_bytes(to_onnx(forest, features[:1], target_opset={"": 17, "ai.onnx.ml": 3}).SerializeToString())

x, y = make_regression(n_samples=200, n_features=3, noise=0.5, random_state=6)
x = x.astype(np.float32)
regressor = LinearRegression().fit(x, y)
(OUT / "sklearn-linear-regression-3.onnx").write_bytes(to_onnx(regressor, x[:1], target_opset=17).SerializeToString())

(OUT / "expected-scores.json").write_text(json.dumps({
    "forest": {"features": features[:20].astype(float).tolist(), "probabilities": forest.predict_proba(features[:20])[:, 1].tolist()},
    "regression": {"features": x[:20].astype(float).tolist(), "predictions": regressor.predict(x[:20]).tolist()},
}, indent=1) + "\n")
