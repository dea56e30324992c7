#!/usr/bin/env python3
"""Trains the XGBoost models of examples/fraud-scoring.yaml from the transaction generator's output.

    pip install "xgboost>=1.7,<1.8" numpy     # or Debian/Ubuntu: apt-get install python3-xgboost
    ./ringflow produce --generator transactions --records 200000 --seed 1 --out transactions.jsonl
    python3 examples/train_fraud_model.py transactions.jsonl

writes examples/models/fraud-xgb-v1.json and fraud-xgb-v2.json (the second with other hyperparameters, for the
demo's model swap) and prints precision and recall on the last quarter of the input, held out. With --reference FILE
it also writes the features and both models' predictions of a few hundred rows of another generated stream to
examples/models/fraud-reference.csv, against which a test checks Ringflow's scores.

The features must be computed exactly as the pipeline computes them, over the same windows; change one, change the
other:

    foreign       1 when country != card_country, else 0            (set)
    risky_mcc     1 when mcc is 5732, 5944, 4829 or 5816, else 0     (set)
    amt_5_mean    mean of the card's last 5 amounts, this one included (features, range: 5)
    amt_5_max     max of the same
    amt_1h_count  the card's transactions with ts in (ts - 1 h, ts], this one included (features, range-ms: 3600000)
    amt_1h_sum    the sum of their amounts
    amt_z         (amount - mean) / max(std, 1.0) over the card's previous 20 amounts, this one excluded
                  (population std; anomaly, zscore, range: 20, min-std: 1.0); missing for a card's first transaction

XGBoost JSON has no model version: Ringflow versions a model by a hash of its file (the score task's model_version).
Only XGBoost versions Ringflow's evaluator was checked against load (1.7 and 3.4); save with one of those.
"""
import argparse
import collections
import json
import math
import pathlib

import numpy as np
import xgboost as xgb

FEATURES = ["amount", "amt_5_mean", "amt_5_max", "amt_1h_count", "amt_1h_sum", "amt_z", "foreign", "risky_mcc"]
RISKY_MCC = {5732, 5944, 4829, 5816}
HOUR_MS = 3_600_000
LAST_N = 5
Z_RANGE = 20
Z_MIN_STD = 1.0

# v1 is the pipeline's model; v2, shallower with more trees, is what the demo swaps in half way.
MODELS = {
    "fraud-xgb-v1.json": ({"max_depth": 4, "eta": 0.3}, 50),
    "fraud-xgb-v2.json": ({"max_depth": 3, "eta": 0.2}, 80),
}


def read_transactions(path):
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def features(transactions):
    """One row of FEATURES per transaction, in input order, with NaN for a missing value."""
    history = collections.defaultdict(collections.deque)   # card -> (ts, amount) in arrival order
    rows = []
    for t in transactions:
        seen = history[t["card"]]
        previous = [amount for _, amount in list(seen)[-Z_RANGE:]]
        seen.append((t["ts"], t["amount"]))
        last = [amount for _, amount in list(seen)[-LAST_N:]]
        hour = [amount for ts, amount in seen if ts > t["ts"] - HOUR_MS]
        if previous:
            mean = math.fsum(previous) / len(previous)
            std = math.sqrt(math.fsum((a - mean) ** 2 for a in previous) / len(previous))
            z = (t["amount"] - mean) / max(std, Z_MIN_STD)
        else:
            z = math.nan
        rows.append([
            t["amount"],
            math.fsum(last) / len(last),
            max(last),
            float(len(hour)),
            math.fsum(hour),
            z,
            1.0 if t["country"] != t["card_country"] else 0.0,
            1.0 if t["mcc"] in RISKY_MCC else 0.0,
        ])
        # Forget what no window needs any more: beyond the last 20 values and older than the last hour.
        while len(seen) > Z_RANGE and seen[0][0] <= t["ts"] - HOUR_MS:
            seen.popleft()
    return np.array(rows, dtype=np.float64)


def precision_recall(scores, labels, threshold):
    alerts = scores > threshold
    true_alerts = int(np.sum(alerts & (labels == 1)))
    precision = true_alerts / max(1, int(np.sum(alerts)))
    recall = true_alerts / max(1, int(np.sum(labels == 1)))
    return precision, recall


def train(x, y, out_dir, threshold):
    cut = len(y) * 3 // 4
    train_set = xgb.DMatrix(x[:cut], label=y[:cut], feature_names=FEATURES, missing=np.nan)
    test_set = xgb.DMatrix(x[cut:], feature_names=FEATURES, missing=np.nan)
    boosters = {}
    for name, (params, rounds) in MODELS.items():
        booster = xgb.train({"objective": "binary:logistic", "tree_method": "hist", "seed": 1, "nthread": 1,
                             **params}, train_set, num_boost_round=rounds)
        # Booster.save_model writes XGBoost's JSON format when the name ends in .json.
        booster.save_model(str(out_dir / name))
        precision, recall = precision_recall(booster.predict(test_set), y[cut:], threshold)
        print(f"{name}: {rounds} trees, depth {params['max_depth']}: held-out precision {precision:.3f}, "
              f"recall {recall:.3f} at score > {threshold}")
        boosters[name] = booster
    return boosters


def write_reference(boosters, path, out_file):
    """Every 10th row and every fraud row of the first 3,000 transactions of another stream, with predictions."""
    transactions = read_transactions(path)[:3000]
    x = features(transactions)
    matrix = xgb.DMatrix(x, feature_names=FEATURES, missing=np.nan)
    predictions = [boosters[name].predict(matrix) for name in MODELS]
    with open(out_file, "w", encoding="utf-8") as out:
        out.write(",".join(["card", "ts", *FEATURES, "is_fraud", "v1", "v2"]) + "\n")
        for i, t in enumerate(transactions):
            if i % 10 == 0 or t["is_fraud"] == 1:
                values = ["" if math.isnan(v) else repr(float(v)) for v in x[i]]
                scores = [repr(float(p[i])) for p in predictions]
                out.write(",".join([t["card"], str(t["ts"]), *values, str(t["is_fraud"]), *scores]) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("transactions", help="JSON lines from ringflow produce --generator transactions --out FILE")
    parser.add_argument("--out-dir", default=str(pathlib.Path(__file__).parent / "models"))
    parser.add_argument("--threshold", type=float, default=0.8, help="the alert threshold of the pipeline's route")
    parser.add_argument("--reference", help="another generated stream to write fraud-reference.csv from")
    args = parser.parse_args()

    out_dir = pathlib.Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    transactions = read_transactions(args.transactions)
    x = features(transactions)
    y = np.array([t["is_fraud"] for t in transactions], dtype=np.int32)
    print(f"{len(y)} transactions, {int(y.sum())} fraudulent ({y.mean():.2%}); XGBoost {xgb.__version__}")
    boosters = train(x, y, out_dir, args.threshold)
    if args.reference:
        write_reference(boosters, args.reference, out_dir / "fraud-reference.csv")
        print(f"wrote {out_dir / 'fraud-reference.csv'}")


if __name__ == "__main__":
    main()
