"""The peer of `archml train`: the workshop's training pipeline in pandas + scikit-learn +
python3-xgboost, with the same features (examples/paysim/recipe.yaml), split ratios and seed,
hyperparameters, evaluation settings (validation split only, every round) and cutoff rule.

Usage: train.py DATA.csv [RESULT.json]
Prints the test metrics and, last, one JSON line with the per-stage seconds
(time.perf_counter) and the metrics; RESULT.json gets the same JSON.
"""
import json
import sys
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.metrics import (average_precision_score, brier_score_loss, classification_report,
                             confusion_matrix, log_loss, roc_auc_score)

from paysim_pipeline import FEATURES, features, split

COSTS = {"tn": 0.0, "fp": 100.0, "fn": 500.0, "tp": 100.0}  # archml's default cost matrix
CUTOFFS = [k / 100.0 for k in range(1, 100)]
# The workshop's hyperparameters, as archml resolves them (bundle.json "hyperparameters").
PARAMS = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 5,
          "subsample": 0.8, "eta": 0.2, "gamma": 4, "min_child_weight": 6, "nthread": 2,
          "eval_metric": ["auc", "aucpr"], "max_bin": 256, "seed": 0}
ROUNDS = 100

stages = {}
clock = [time.perf_counter()]


def lap(name):
    now = time.perf_counter()
    stages[name] = stages.get(name, 0.0) + now - clock[0]
    clock[0] = now


path = sys.argv[1]

# read
frame = pd.read_csv(path)
lap("read")

# split: stratified 70/20/10 with the workshop's seed
train, validation, test = split(frame)
del frame
lap("split")


# recipe: the steps of examples/paysim/recipe.yaml; min-max fitted on the training rows only
named = {"train": train, "validation": validation, "test": test}
del train, validation, test  # the dict holds the only references: features() replaces them
parts = features(named)
lap("recipe")

# matrices: training quantised, validation plain (as archml builds them)
X_train, y_train = parts["train"]
X_valid, y_valid = parts["validation"]
X_test, y_test = parts["test"]
dtrain = xgb.QuantileDMatrix(X_train, label=y_train, max_bin=256, nthread=2,
                             feature_names=FEATURES)
# A plain DMatrix, as archml builds it: XGBoost 1.7 predicts on a quantised one (every
# round, for the metric) several times more slowly.
dvalid = xgb.DMatrix(X_valid, label=y_valid, nthread=2, feature_names=FEATURES)
lap("matrices")

# boosting: base_score = the training prior and max_delta_step capped from an extreme
# prior, as archml resolves them (docs/hyperparameters.md); validation only per round
prior = float(y_train.mean())
params = dict(PARAMS, base_score=prior, max_delta_step=1 if min(prior, 1 - prior) < 0.01 else 0)
history = {}
booster = xgb.train(params, dtrain, num_boost_round=ROUNDS, evals=[(dvalid, "validation")],
                    evals_result=history, verbose_eval=False)
del dtrain, dvalid
lap("boosting")

# predict: validation (for the cutoff) and test
p_valid = booster.predict(xgb.DMatrix(X_valid, feature_names=FEATURES, nthread=2))
p_test = booster.predict(xgb.DMatrix(X_test, feature_names=FEATURES, nthread=2))
lap("predict")


# evaluate: cost-optimal cutoff on validation (ties: closest to 0.5, then smaller), then
# every metric on test
def cost_curve(y, p):
    curve = []
    for c in CUTOFFS:
        tn, fp, fn, tp = confusion_matrix(y, p >= c, labels=[0, 1]).ravel()
        curve.append((c, tn * COSTS["tn"] + fp * COSTS["fp"] + fn * COSTS["fn"] +
                      tp * COSTS["tp"]))
    return curve


def optimal(curve):
    return min(curve, key=lambda point: (point[1], abs(point[0] - 0.5), point[0]))


cutoff, valid_cost = optimal(cost_curve(y_valid, p_valid))
p_test64 = p_test.astype(np.float64)
flags = p_test64 >= cutoff
metrics = {
    "rows": int(len(y_test)),
    "positives": int(y_test.sum()),
    "auc": roc_auc_score(y_test, p_test64),
    "aucpr": average_precision_score(y_test, p_test64),
    "logloss": log_loss(y_test, p_test64, labels=[0, 1]),
    "brier": brier_score_loss(y_test, p_test64),
    "cutoff": cutoff,
}
tn, fp, fn, tp = confusion_matrix(y_test, flags, labels=[0, 1]).ravel()
report = classification_report(y_test, flags, labels=[0, 1], output_dict=True, zero_division=0)
test_curve = cost_curve(y_test, p_test64)
metrics.update(confusion={"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
               accuracy=report["accuracy"], precision=report["1"]["precision"],
               recall=report["1"]["recall"],
               total_cost=float(tn * COSTS["tn"] + fp * COSTS["fp"] + fn * COSTS["fn"] +
                                tp * COSTS["tp"]),
               test_optimal_cutoff=optimal(test_curve)[0])
lap("evaluate")

validation_metrics = {f"validation:{m}": float(v[-1]) for m, v in history["validation"].items()}
print(f"test: auc {metrics['auc']:.6f}  aucpr {metrics['aucpr']:.6f}  "
      f"logloss {metrics['logloss']:.6f}  cutoff {cutoff:.2f}  (validation cost {valid_cost:.0f})")
result = {"stages": stages, "test": metrics, "validation": validation_metrics,
          "split": {"train": int(len(y_train)), "validation": int(len(y_valid)),
                    "test": int(len(y_test))},
          "validation_series": {m: [float(x) for x in v] for m, v in history["validation"].items()},
          "base_score": params["base_score"],
          "max_delta_step": params["max_delta_step"], "total": sum(stages.values())}
line = json.dumps(result, default=float)
if len(sys.argv) > 2:
    with open(sys.argv[2], "w") as out:
        out.write(line + "\n")
print(line)
