#!/usr/bin/env python3
"""Makes the small test models under models/src/test/resources/models/ and their reference predictions.

Run from the repository root (deterministic: fixed seeds; re-running rewrites the same files):

    pip install lightgbm scikit-learn onnx      # numpy comes with them
    apt-get install -y python3-xgboost           # Debian's XGBoost 1.7.x (not on pip here)
    python3 models/src/test/python/make_test_models.py

Debian's xgboost lives in /usr/lib/python3/dist-packages; when the python running this script cannot see it, the
script appends that folder to sys.path after its own packages (so numpy etc. stay the interpreter's own).

Writes:
  train.csv                      the synthetic fraud-like training table (8 features, label, target), also read by
                                 Xgboost4jModelWriter (XGBoost 3.x models, written from Java)
  holdout.csv                    held-out rows: random rows with NaN (empty cell), extreme values (+-1e30, 0, tiny),
                                 and rows whose values sit exactly on split thresholds of the models below
  xgb17-<objective>.json         XGBoost 1.7 save_model JSON
  lgbm-<objective>.txt           LightGBM text model
  linear-logistic.json           scikit-learn LogisticRegression exported to Ringflow's linear format
  <model>.predictions.csv        one reference prediction per held-out row, in holdout.csv's order
  tiny.onnx                      an ONNX file the loader must recognise and refuse
"""
import json
import os
import sys

import numpy as np

try:
    import xgboost as xgb
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import xgboost as xgb
import lightgbm as lgb
from sklearn.linear_model import LogisticRegression

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "models")
FEATURES = ["amount", "amt_5_mean", "txn_1h_count", "merchant_risk", "hour", "distance_km", "card_age_days",
            "velocity"]


def make_table(rng, n):
    x = np.empty((n, len(FEATURES)))
    x[:, 0] = rng.lognormal(3.5, 1.2, n)
    x[:, 1] = x[:, 0] * rng.uniform(0.3, 1.7, n)
    x[:, 2] = rng.poisson(2.0, n)
    x[:, 3] = rng.beta(2, 5, n)
    x[:, 4] = rng.integers(0, 24, n)
    x[:, 5] = rng.exponential(20.0, n)
    x[:, 6] = rng.integers(0, 3000, n)
    x[:, 7] = rng.normal(0.0, 1.0, n)
    z = (0.8 * np.log1p(x[:, 0]) - 0.5 * np.log1p(x[:, 1]) + 0.4 * x[:, 2] + 3.0 * x[:, 3]
         + 0.02 * x[:, 5] - 0.0005 * x[:, 6] + 0.7 * x[:, 7] - 4.0)
    label = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-z))).astype(np.float64)
    target = z + rng.normal(0.0, 0.3, n)
    missing = rng.uniform(size=x.shape) < 0.08
    x[missing] = np.nan
    return x, label, target


def thresholds_of_xgb(path):
    model = json.load(open(path))
    out = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        for node, left in enumerate(tree["left_children"]):
            if left != -1:
                out.append((tree["split_indices"][node], tree["split_conditions"][node]))
    return out


def thresholds_of_lgbm(booster):
    out = []
    for tree in booster.dump_model()["tree_info"]:
        stack = [tree["tree_structure"]]
        while stack:
            node = stack.pop()
            if "split_feature" in node:
                out.append((node["split_feature"], node["threshold"]))
                stack += [node["left_child"], node["right_child"]]
    return out


def fmt(v):
    return "" if np.isnan(v) else repr(float(v))


def write_csv(path, header, rows):
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(fmt(v) for v in row) + "\n")


def write_predictions(name, predictions):
    write_csv(os.path.join(OUT, name + ".predictions.csv"), ["prediction"], [[p] for p in predictions])


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    x, label, target = make_table(rng, 1500)
    write_csv(os.path.join(OUT, "train.csv"), FEATURES + ["label", "target"],
              np.column_stack([x, label, target]))
    prob_target = 1.0 / (1.0 + np.exp(-target))

    dtrain = xgb.DMatrix(x, label=label, missing=np.nan, feature_names=FEATURES)
    xgb_specs = {
        "binary-logistic": ({"objective": "binary:logistic", "max_depth": 4, "eta": 0.3}, label, 20, True),
        "reg-squarederror": ({"objective": "reg:squarederror", "max_depth": 5, "eta": 0.2,
                              "base_score": 0.25}, target, 15, False),
        "reg-logistic": ({"objective": "reg:logistic", "max_depth": 3, "eta": 0.3, "base_score": 0.3},
                         prob_target, 10, False),
    }
    xgb_models = {}
    for name, (params, y, rounds, named) in xgb_specs.items():
        d = xgb.DMatrix(x, label=y, missing=np.nan, feature_names=FEATURES if named else None)
        params = dict(params, seed=7, tree_method="exact")
        booster = xgb.train(params, d, rounds)
        path = os.path.join(OUT, "xgb17-" + name + ".json")
        booster.save_model(path)
        xgb_models[name] = (booster, named, path)

    lgb_specs = {
        "binary": ({"objective": "binary", "num_leaves": 15, "learning_rate": 0.2}, label, 20),
        "regression": ({"objective": "regression", "num_leaves": 12, "learning_rate": 0.2,
                        "zero_as_missing": True}, target, 15),
    }
    lgb_models = {}
    for name, (params, y, rounds) in lgb_specs.items():
        params = dict(params, seed=7, verbose=-1, deterministic=True, num_threads=1)
        booster = lgb.train(params, lgb.Dataset(x, label=y, feature_name=FEATURES), rounds)
        path = os.path.join(OUT, "lgbm-" + name + ".txt")
        booster.save_model(path)
        lgb_models[name] = booster

    # Held-out rows: fresh random rows, extreme values, and values exactly on split thresholds (both sides of
    # XGBoost's float32 '<' and LightGBM's double '<=').
    holdout, _, _ = make_table(np.random.default_rng(99), 300)
    extremes = [1e30, -1e30, 0.0, -0.0, 1e-40, -1e-40, 1e-300, 5e-324, np.nan]
    extra = []
    for i, v in enumerate(extremes * 4):
        row = holdout[i].copy()
        row[i % len(FEATURES)] = v
        row[(i * 3 + 1) % len(FEATURES)] = extremes[(i + 2) % len(extremes)]
        extra.append(row)
    splits = []
    for _, (_, _, path) in xgb_models.items():
        splits += thresholds_of_xgb(path)
    for booster in lgb_models.values():
        splits += thresholds_of_lgbm(booster)
    for j, (feature, threshold) in enumerate(splits[:120]):
        row = holdout[j % len(holdout)].copy()
        row[feature] = float(np.float32(threshold)) if j % 2 == 0 else float(threshold)
        extra.append(row)
    holdout = np.vstack([holdout, np.array(extra)])
    write_csv(os.path.join(OUT, "holdout.csv"), FEATURES, holdout)

    for name, (booster, named, _) in xgb_models.items():
        d = xgb.DMatrix(holdout, missing=np.nan, feature_names=FEATURES if named else None)
        write_predictions("xgb17-" + name, booster.predict(d))
    for name, booster in lgb_models.items():
        write_predictions("lgbm-" + name, booster.predict(holdout))

    # Linear: scikit-learn on the rows without NaN, exported as Ringflow's linear format. The file declares no
    # missing-value policy, so a held-out row with a NaN has no score (an empty cell, read as NaN).
    complete = ~np.isnan(x).any(axis=1)
    clf = LogisticRegression(max_iter=5000).fit(x[complete], label[complete])
    with open(os.path.join(OUT, "linear-logistic.json"), "w") as f:
        json.dump({"format": "ringflow-linear", "version": "fraud-lr-1", "link": "logistic",
                   "bias": float(clf.intercept_[0]), "features": FEATURES,
                   "weights": [float(w) for w in clf.coef_[0]]}, f, indent=2)
    rows = holdout[:300]
    scores = clf.predict_proba(np.nan_to_num(rows, nan=0.0))[:, 1]
    write_predictions("linear-logistic", np.where(np.isnan(rows).any(axis=1), np.nan, scores))

    import onnx
    from onnx import helper, TensorProto
    node = helper.make_node("Identity", ["x"], ["y"])
    graph = helper.make_graph([node], "tiny", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])])
    model = helper.make_model(graph, producer_name="ringflow-test")
    model.ir_version = 8
    onnx.save(model, os.path.join(OUT, "tiny.onnx"))


if __name__ == "__main__":
    main()
